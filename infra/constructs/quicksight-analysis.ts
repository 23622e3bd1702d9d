/**
 * The QuickSight analysis definition: one sheet with the console's trends page (workflows/console/web/
 * dashboard-page.ts) drawn from the same `analytics` views, plus product units over time from the daily product
 * view. Each dataset is declared under its view's name, so a column is named `view.column` as in the SQL.
 */
import type { CfnAnalysis } from 'aws-cdk-lib/aws-quicksight';
import { DEFAULT_SALE_YEARS } from '../../tasks/domain/limits';
import { analyticsView } from '../../tasks/warehouse/sql/analytics-contract';

type Definition = CfnAnalysis.AnalysisDefinitionProperty;
type Visual = CfnAnalysis.VisualProperty;
type Dimension = CfnAnalysis.DimensionFieldProperty;
type Measure = CfnAnalysis.MeasureFieldProperty;

/** The views the analysis reads, by the identifier it declares each dataset under (the view's name). */
export const ANALYSIS_VIEWS = [
  'daily_branch_sales',
  'hourly_sales',
  'payment_mix',
  'product_sales',
  'daily_product_sales',
] as const;
export type AnalysisView = (typeof ANALYSIS_VIEWS)[number];

export const SHEET_ID = 'trends';

/** A column of a view the contract holds (a typo in a view or column name throws at synth). */
function column(view: AnalysisView, name: string): CfnAnalysis.ColumnIdentifierProperty {
  if (!analyticsView(view).columns.some((c) => c.name === name) && !CALCULATED.some((c) => c.view === view && c.name === name)) {
    throw new Error(`analytics.${view} has no column '${name}'`);
  }
  return { dataSetIdentifier: view, columnName: name };
}

/** The console's product label, "Large Latte – Hazelnut" (Regular is not written), as a calculated field. */
const PRODUCT_LABEL =
  "concat(ifelse({size} = 'Regular', '', concat({size}, ' ')), {product}, ifelse(isNull({flavour}), '', concat(' – ', {flavour})))";
const CALCULATED: readonly { view: AnalysisView; name: string; expression: string }[] = [
  { view: 'product_sales', name: 'product_label', expression: PRODUCT_LABEL },
  { view: 'daily_product_sales', name: 'product_label', expression: PRODUCT_LABEL },
  { view: 'daily_branch_sales', name: 'average_basket', expression: 'sum({revenue}) / sum({transactions})' },
];

const dateField = (fieldId: string, view: AnalysisView, name: string): Dimension => ({
  dateDimensionField: { fieldId, column: column(view, name), dateGranularity: 'DAY' },
});
const textField = (fieldId: string, view: AnalysisView, name: string): Dimension => ({
  categoricalDimensionField: { fieldId, column: column(view, name) },
});
const numberField = (fieldId: string, view: AnalysisView, name: string): Dimension => ({
  numericalDimensionField: { fieldId, column: column(view, name) },
});
const sum = (fieldId: string, view: AnalysisView, name: string): Measure => ({
  numericalMeasureField: { fieldId, column: column(view, name), aggregationFunction: { simpleNumericalAggregation: 'SUM' } },
});
/** Revenue ÷ transactions over whatever the visual groups by, as the console's average basket (already aggregated). */
const averageBasket = (fieldId: string): Measure => ({
  numericalMeasureField: { fieldId, column: column('daily_branch_sales', 'average_basket') },
});

const title = (text: string): CfnAnalysis.VisualTitleLabelOptionsProperty => ({
  visibility: 'VISIBLE',
  formatText: { plainText: text },
});
const subtitle = (text: string): CfnAnalysis.VisualSubtitleLabelOptionsProperty => ({
  visibility: 'VISIBLE',
  formatText: { plainText: text },
});
function fieldIdOf(measure: Measure): string | undefined {
  const field = measure.numericalMeasureField;
  return field === undefined || !('fieldId' in field) ? undefined : field.fieldId;
}
const descending = (fieldId: string): CfnAnalysis.FieldSortOptionsProperty => ({ fieldSort: { fieldId, direction: 'DESC' } });

function kpi(visualId: string, text: string, value: Measure): Visual {
  return {
    kpiVisual: {
      visualId,
      title: title(text),
      subtitle: subtitle('analytics.daily_branch_sales'),
      chartConfiguration: { fieldWells: { values: [value] } },
    },
  };
}

function lineChart(
  visualId: string, text: string, source: string,
  wells: { category: Dimension; value: Measure; colour: Dimension }, colourLimit?: number,
): Visual {
  return {
    lineChartVisual: {
      visualId,
      title: title(text),
      subtitle: subtitle(source),
      chartConfiguration: {
        type: 'LINE',
        fieldWells: { lineChartAggregatedFieldWells: { category: [wells.category], values: [wells.value], colors: [wells.colour] } },
        legend: { visibility: 'VISIBLE' },
        ...(colourLimit === undefined ? {} : {
          sortConfiguration: { colorItemsLimitConfiguration: { itemsLimit: colourLimit, otherCategories: 'EXCLUDE' } },
        }),
      },
    },
  };
}

function horizontalBars(
  visualId: string, text: string, source: string,
  wells: { category: Dimension; value: Measure; colour?: Dimension },
  options: { top?: number; percent?: boolean } = {},
): Visual {
  const valueId = fieldIdOf(wells.value);
  return {
    barChartVisual: {
      visualId,
      title: title(text),
      subtitle: subtitle(source),
      chartConfiguration: {
        orientation: 'HORIZONTAL',
        barsArrangement: options.percent ? 'STACKED_PERCENT' : 'CLUSTERED',
        fieldWells: {
          barChartAggregatedFieldWells: {
            category: [wells.category],
            values: [wells.value],
            ...(wells.colour ? { colors: [wells.colour] } : {}),
          },
        },
        dataLabels: { visibility: 'VISIBLE' },
        ...(options.top === undefined || valueId === undefined ? {} : {
          sortConfiguration: {
            categorySort: [descending(valueId)],
            categoryItemsLimit: { itemsLimit: options.top, otherCategories: 'EXCLUDE' },
          },
        }),
      },
    },
  };
}

function heatMap(visualId: string, text: string, source: string, wells: { rows: Dimension; columns: Dimension; value: Measure }): Visual {
  return {
    heatMapVisual: {
      visualId,
      title: title(text),
      subtitle: subtitle(source),
      chartConfiguration: {
        fieldWells: { heatMapAggregatedFieldWells: { rows: [wells.rows], columns: [wells.columns], values: [wells.value] } },
        legend: { visibility: 'VISIBLE' },
      },
    },
  };
}

/** The visuals in page order, each with its place on a 36-column grid. */
function trendsVisuals(): { visual: Visual; columnSpan: number; rowSpan: number }[] {
  const daily = 'analytics.daily_branch_sales';
  return [
    { visual: kpi('kpi-revenue', 'Revenue', sum('kpi-revenue-sum', 'daily_branch_sales', 'revenue')), columnSpan: 9, rowSpan: 4 },
    { visual: kpi('kpi-transactions', 'Transactions', sum('kpi-transactions-sum', 'daily_branch_sales', 'transactions')), columnSpan: 9, rowSpan: 4 },
    { visual: kpi('kpi-items', 'Items sold', sum('kpi-items-sum', 'daily_branch_sales', 'items')), columnSpan: 9, rowSpan: 4 },
    { visual: kpi('kpi-basket', 'Average basket', averageBasket('kpi-basket-average')), columnSpan: 9, rowSpan: 4 },
    {
      visual: lineChart('chart-daily', 'Revenue by branch per day', daily, {
        category: dateField('daily-day', 'daily_branch_sales', 'day'),
        value: sum('daily-revenue', 'daily_branch_sales', 'revenue'),
        colour: textField('daily-branch', 'daily_branch_sales', 'branch'),
      }),
      columnSpan: 36, rowSpan: 10,
    },
    {
      visual: heatMap('chart-hourly', 'Sales by hour of day', 'analytics.hourly_sales', {
        rows: textField('hourly-branch', 'hourly_sales', 'branch'),
        columns: numberField('hourly-hour', 'hourly_sales', 'hour'),
        value: sum('hourly-revenue', 'hourly_sales', 'revenue'),
      }),
      columnSpan: 18, rowSpan: 10,
    },
    {
      visual: horizontalBars('chart-payment', 'Payment mix per branch', 'analytics.payment_mix (share of transactions)', {
        category: textField('payment-branch', 'payment_mix', 'branch'),
        value: sum('payment-transactions', 'payment_mix', 'transactions'),
        colour: textField('payment-type', 'payment_mix', 'payment_type'),
      }, { percent: true }),
      columnSpan: 18, rowSpan: 10,
    },
    {
      visual: horizontalBars('products-by-units', 'Top products by units sold', 'analytics.product_sales', {
        category: textField('products-units-label', 'product_sales', 'product_label'),
        value: sum('products-units', 'product_sales', 'units'),
      }, { top: 10 }),
      columnSpan: 18, rowSpan: 10,
    },
    {
      visual: horizontalBars('products-by-revenue', 'Top products by revenue', 'analytics.product_sales', {
        category: textField('products-revenue-label', 'product_sales', 'product_label'),
        value: sum('products-revenue', 'product_sales', 'revenue'),
      }, { top: 10 }),
      columnSpan: 18, rowSpan: 10,
    },
    {
      visual: horizontalBars('chart-basket', 'Average basket value', `${daily} (revenue ÷ transactions)`, {
        category: textField('basket-branch', 'daily_branch_sales', 'branch'),
        value: averageBasket('basket-average'),
      }),
      columnSpan: 36, rowSpan: 8,
    },
    {
      visual: lineChart('chart-product-units', 'Product units per day (top 10)', 'analytics.daily_product_sales', {
        category: dateField('product-day', 'daily_product_sales', 'day'),
        value: sum('product-day-units', 'daily_product_sales', 'units'),
        colour: textField('product-day-label', 'daily_product_sales', 'product_label'),
      }, 10),
      columnSpan: 36, rowSpan: 10,
    },
  ];
}

/** A filter and the sheet control that sets it. */
interface SheetFilter {
  group: CfnAnalysis.FilterGroupProperty;
  control: CfnAnalysis.FilterControlProperty;
}

/** Every sheet visual reading a dataset with the same column (QuickSight's cross-dataset filter), as the console's filters. */
const onEveryVisual = (filterId: string, filter: CfnAnalysis.FilterProperty): CfnAnalysis.FilterGroupProperty => ({
  filterGroupId: `${filterId}-group`,
  crossDataset: 'ALL_DATASETS',
  status: 'ENABLED',
  filters: [filter],
  scopeConfiguration: { selectedSheets: { sheetVisualScopingConfigurations: [{ sheetId: SHEET_ID, scope: 'ALL_VISUALS' }] } },
});

const onVisuals = (filterId: string, filter: CfnAnalysis.FilterProperty, visualIds: string[]): CfnAnalysis.FilterGroupProperty => ({
  filterGroupId: `${filterId}-group`,
  crossDataset: 'SINGLE_DATASET',
  status: 'ENABLED',
  filters: [filter],
  scopeConfiguration: {
    selectedSheets: { sheetVisualScopingConfigurations: [{ sheetId: SHEET_ID, scope: 'SELECTED_VISUALS', visualIds }] },
  },
});

/** Pick any values of a text column; all of them (nulls included) until the reader picks. */
function valuesFilter(filterId: string, view: AnalysisView, name: string, label: string, scope: string[] | 'all'): SheetFilter {
  const filter: CfnAnalysis.FilterProperty = {
    categoryFilter: {
      filterId,
      column: column(view, name),
      configuration: { filterListConfiguration: { matchOperator: 'CONTAINS', selectAllOptions: 'FILTER_ALL_VALUES', nullOption: 'ALL_VALUES' } },
    },
  };
  return {
    group: scope === 'all' ? onEveryVisual(filterId, filter) : onVisuals(filterId, filter, scope),
    control: { dropdown: { filterControlId: `${filterId}-control`, sourceFilterId: filterId, title: label, type: 'MULTI_SELECT' } },
  };
}

/** A date range over the `day` columns, at first every day a sale can have (the decoder's default sale years). */
function dayRangeFilter(filterId: string): SheetFilter {
  const filter: CfnAnalysis.FilterProperty = {
    timeRangeFilter: {
      filterId,
      column: column('daily_branch_sales', 'day'),
      nullOption: 'NON_NULLS_ONLY',
      timeGranularity: 'DAY',
      includeMinimum: true,
      includeMaximum: true,
      rangeMinimumValue: { staticValue: `${DEFAULT_SALE_YEARS.min}-01-01T00:00:00.000Z` },
      rangeMaximumValue: { staticValue: `${DEFAULT_SALE_YEARS.max}-12-31T00:00:00.000Z` },
    },
  };
  return {
    group: onEveryVisual(filterId, filter),
    control: { dateTimePicker: { filterControlId: `${filterId}-control`, sourceFilterId: filterId, title: 'Dates', type: 'DATE_RANGE' } },
  };
}

/**
 * The console's filters: a date range and branches over every chart whose view has the column (the product,
 * hourly and payment views have no day, the product views no branch), size and flavour on the top products.
 */
function trendsFilters(): SheetFilter[] {
  const products = ['products-by-units', 'products-by-revenue'];
  return [
    dayRangeFilter('filter-day'),
    valuesFilter('filter-branch', 'daily_branch_sales', 'branch', 'Branches', 'all'),
    valuesFilter('filter-size', 'product_sales', 'size', 'Product size', products),
    valuesFilter('filter-flavour', 'product_sales', 'flavour', 'Product flavour', products),
  ];
}

export function visualIdOf(visual: Visual): string {
  const inner = Object.values(visual).find((v): v is { visualId: string } => typeof v === 'object' && v !== null && 'visualId' in v);
  if (inner === undefined) throw new Error('a visual without a visualId');
  return inner.visualId;
}

/** The analysis definition over the datasets given by view (their ARNs). */
export function trendsDefinition(dataSetArns: Record<AnalysisView, string>): Definition {
  const placed = trendsVisuals();
  const filters = trendsFilters();
  return {
    dataSetIdentifierDeclarations: ANALYSIS_VIEWS.map((view) => ({ identifier: view, dataSetArn: dataSetArns[view] })),
    calculatedFields: CALCULATED.map((c) => ({ dataSetIdentifier: c.view, name: c.name, expression: c.expression })),
    filterGroups: filters.map((f) => f.group),
    sheets: [
      {
        sheetId: SHEET_ID,
        name: 'Trends',
        title: 'Cafe trends',
        visuals: placed.map((p) => p.visual),
        filterControls: filters.map((f) => f.control),
        layouts: [
          {
            configuration: {
              gridLayout: {
                elements: placed.map((p) => ({
                  elementId: visualIdOf(p.visual),
                  elementType: 'VISUAL',
                  columnSpan: p.columnSpan,
                  rowSpan: p.rowSpan,
                })),
              },
            },
          },
        ],
      },
    ],
  };
}
