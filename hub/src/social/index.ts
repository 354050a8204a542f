/** Social indicators per district: CSV and GeoJSON checks, and traffic lights against the municipal average. */
export { parseCsv, detectSeparator, type CsvParse, type CsvRecord, type CsvSeparator, type CsvSyntaxError } from './csv.ts';
export {
  validateSocialCsv,
  validateCatalogue,
  CatalogueEntry,
  isPeriod,
  parseDecimal,
  MUNICIPALITY,
  SOCIAL_COLUMNS,
  type SocialValueInput,
  type RowError,
} from './validate.ts';
export {
  validateDistricts,
  validateSiteMap,
  geometryProblem,
  containsPoint,
  anchorOf,
  MAP_KINDS,
  type DistrictFeature,
  type SiteMapFeature,
  type FeatureError,
  type Geometry,
  type MapKind,
} from './geojson.ts';
export {
  trafficLights,
  municipalAverage,
  deviation,
  light,
  DEFAULT_TRAFFIC_LIGHTS,
  SUPPRESS_BELOW,
  type TrafficLightLimits,
  type LitValue,
  type Light,
} from './traffic-light.ts';
export { importCatalogue, importSocialValues, importDistricts, importSiteMap, MAX_LISTED_ERRORS, type ImportOutcome, type CatalogueError } from './import.ts';
