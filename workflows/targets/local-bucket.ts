/** The local bucket's name (the object store under `<home>/bucket/`): shared by the local target and the task workers. */
export const LOCAL_BUCKET = 'local';
