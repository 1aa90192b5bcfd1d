export { csvField, csvFormat, jsonlFormat, type RawFormat } from './format.ts';
export { openRawFile, type RawFile } from './raw-file.ts';
export {
  LocalDestinationConfig,
  localFilesDestination,
  overwrites,
  rawFilePath,
} from './destination.ts';
export { localDestinationSpec } from './spec.ts';
export { CsvError, parseCsv, parseCsvText } from './csv-parse.ts';
