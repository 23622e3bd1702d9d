// `npm run build:console`: bundles the console's page (workflows/console/dist/).
import { ASSETS_DIR, buildConsoleAssets } from '../workflows/console/build';

buildConsoleAssets().then(
  () => console.log(`console assets built in ${ASSETS_DIR}`),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
