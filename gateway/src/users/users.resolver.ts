import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../graphql/context";
import { requireViewer } from "./access";
import { ApiToken, CreatedApiToken, CreateUserInput, User } from "./users.types";

@Resolver(() => User)
export class UserResolver {
  @Query(() => User, { nullable: true, description: "The signed-in user; null without a token" })
  me(@Ctx() ctx: RequestContext) {
    return ctx.viewer ? ctx.loaders.userById.load(ctx.viewer.id) : null;
  }

  @Mutation(() => User, { description: "Admins only" })
  createUser(@Arg("input", () => CreateUserInput) input: CreateUserInput, @Ctx() ctx: RequestContext) {
    return ctx.services.users.createUser(ctx.viewer, input);
  }

  @Mutation(() => CreatedApiToken)
  createApiToken(@Arg("name", () => String) name: string, @Ctx() ctx: RequestContext) {
    return ctx.services.users.createApiToken(ctx.viewer, name);
  }

  @Mutation(() => Boolean)
  revokeApiToken(@Arg("id", () => ID) id: string, @Ctx() ctx: RequestContext) {
    return ctx.services.users.revokeApiToken(ctx.viewer, id);
  }

  @FieldResolver(() => String, { nullable: true, description: "Visible to the user and admins" })
  email(@Root() user: User, @Ctx() ctx: RequestContext): string | null {
    const viewer = ctx.viewer;
    return viewer && (viewer.id === user.id || viewer.role === "ADMIN") ? user.email : null;
  }

  @FieldResolver(() => [ApiToken], { description: "The user's own tokens (and any user's, for admins)" })
  apiTokens(@Root() user: User, @Ctx() ctx: RequestContext) {
    const viewer = requireViewer(ctx.viewer);
    if (viewer.id !== user.id && viewer.role !== "ADMIN") return [];
    return ctx.services.users.listTokens(user.id);
  }
}
