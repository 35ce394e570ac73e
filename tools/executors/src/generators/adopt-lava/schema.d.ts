export interface AdoptLavaGeneratorSchema {
  source: string;
}
