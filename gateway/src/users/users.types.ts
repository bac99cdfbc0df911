import { Field, ID, InputType, ObjectType, registerEnumType } from "type-graphql";
import { connectionOf, type Connection } from "../graphql/connection";

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

  @Field(() => Date, {
    nullable: true,
    description: "When an admin deactivated the user: their tokens are refused, their objects stay",
  })
  deactivatedAt!: Date | null;

  // Private to the user and admins; resolved in UserResolver.
  email!: string | null;
}

export const UserConnection = connectionOf(() => User, "User");
export type UserConnection = Connection<User>;

@ObjectType({ description: "An API token; its secret is never shown again after creation" })
export class ApiToken {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, {
    description: "Public identifier, unique among tokens; never any part of the secret",
  })
  publicId!: string;

  // `tsr_<publicId>`: what a person sees at the start of their token; resolved in ApiTokenResolver.

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
