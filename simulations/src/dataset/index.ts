export { generateDirectory, seededRandom, type DatasetOptions, type DirectoryDataset } from './generator.js'
export { AUTHORITY_KINDS, CITIES } from './vocabulary.js'
