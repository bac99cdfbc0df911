import { Field, ID, InputType, ObjectType, registerEnumType } from "type-graphql";

export enum Role {
  ADMIN = "ADMIN",
  MEMBER = "MEMBER",
}
registerEnumType(Role, { name: "Role", description: "What a user may do: admins see and change everything" });

@ObjectType({ description: "A person (or a built-in account such as `system`) who owns objects" })
export class User {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: "Unique, URL-safe name, e.g. `ada`" })
  handle!: string;

  @Field(() => String, { nullable: true })
  displayName!: string | null;

  @Field(() => Role)
  role!: Role;

  @Field(() => Date)
  createdAt!: Date;

  // Private to the user and admins; resolved in UserResolver.
  email!: string | null;
}

@ObjectType({ description: "An API token; its secret is never shown again after creation" })
export class ApiToken {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: "First characters of the secret, to tell tokens apart" })
  prefix!: string;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  lastUsedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  revokedAt!: Date | null;
}

@ObjectType()
export class CreatedApiToken {
  @Field(() => ApiToken)
  token!: ApiToken;

  @Field(() => String, { description: "Send as `Authorization: Bearer <secret>`. Shown only this once." })
  secret!: string;
}

@InputType()
export class CreateUserInput {
  @Field(() => String)
  handle!: string;

  @Field(() => String, { nullable: true })
  displayName?: string | null;

  @Field(() => String, { nullable: true })
  email?: string | null;

  @Field(() => Role, { nullable: true, defaultValue: Role.MEMBER })
  role?: Role | null;
}
