import { registerEnumType } from "type-graphql";

// Its own file, free of decorated classes: the list's SQL (models.query.ts) needs the values at
// run time, and is loaded before the schema (and reflect-metadata) is.
export enum ModelOrder {
  CREATED_DESC = "CREATED_DESC",
  CREATED_ASC = "CREATED_ASC",
  UPDATED_DESC = "UPDATED_DESC",
  NAME_ASC = "NAME_ASC",
  NAME_DESC = "NAME_DESC",
  RELEVANCE = "RELEVANCE",
}
registerEnumType(ModelOrder, {
  name: "ModelOrder",
  description: "RELEVANCE (the default when `search` is given) ranks name, tags, algorithm, description",
});
