import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../graphql/context";
import { connection, firstArg, pageWindow } from "../graphql/connection";
import { requireViewer } from "./access";
import { displayPrefix } from "./tokens";
import { ApiToken, CreatedApiToken, CreateUserInput, User, UserConnection } from "./users.types";

@Resolver(() => User)
export class UserResolver {
  @Query(() => User, { nullable: true, description: "The signed-in user; null without a token" })
  me(@Ctx() ctx: RequestContext) {
    return ctx.viewer ? ctx.loaders.userById.load(ctx.viewer.id) : null;
  }

  @Query(() => UserConnection, {
    description: "Admins only: every user in creation order, built-in accounts (`system`) left out",
  })
  async users(
    @Ctx() ctx: RequestContext,
    @Arg("first", () => Int, firstArg(20)) first?: number,
    @Arg("after", () => String, { nullable: true }) after?: string,
  ) {
    const page = pageWindow(first, after);
    const { users, totalCount } = await ctx.services.users.listUsers(ctx.viewer, page);
    return connection(users, page.offset, totalCount);
  }

  @Mutation(() => User, { description: "Admins only" })
  createUser(@Arg("input", () => CreateUserInput) input: CreateUserInput, @Ctx() ctx: RequestContext) {
    return ctx.services.users.createUser(ctx.viewer, input);
  }

  @Mutation(() => User, {
    description:
      "Admins only. The user's tokens stop working at once; what they own stays, and their running jobs finish",
  })
  deactivateUser(@Arg("id", () => ID) id: string, @Ctx() ctx: RequestContext) {
    return ctx.services.users.deactivateUser(ctx.viewer, id);
  }

  @Mutation(() => User, { description: "Admins only. The user's tokens that were not revoked work again" })
  reactivateUser(@Arg("id", () => ID) id: string, @Ctx() ctx: RequestContext) {
    return ctx.services.users.reactivateUser(ctx.viewer, id);
  }

  @Mutation(() => CreatedApiToken, {
    description: "Issues a token to the caller, or (admins only) to the user `userId`",
  })
  createApiToken(
    @Arg("name", () => String) name: string,
    @Ctx() ctx: RequestContext,
    @Arg("userId", () => ID, { nullable: true }) userId?: string | null,
  ) {
    return ctx.services.users.createApiToken(ctx.viewer, name, userId);
  }

  @Mutation(() => Boolean)
  revokeApiToken(@Arg("id", () => ID) id: string, @Ctx() ctx: RequestContext) {
    return ctx.services.users.revokeApiToken(ctx.viewer, id);
  }

  @FieldResolver(() => Boolean, { description: "False while the user is deactivated" })
  active(@Root() user: User): boolean {
    return user.deactivatedAt === null;
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

@Resolver(() => ApiToken)
export class ApiTokenResolver {
  @FieldResolver(() => String, {
    description:
      "`tsr_<publicId>`, how the token begins, to tell tokens apart (TESSERA_ADMIN_TOKEN and tokens from before this format begin otherwise)",
  })
  prefix(@Root() token: ApiToken): string {
    return displayPrefix(token.publicId);
  }

  @FieldResolver(() => Boolean, { description: "Whether this request was signed in with this token" })
  current(@Root() token: ApiToken, @Ctx() ctx: RequestContext): boolean {
    return ctx.viewer?.tokenId === token.id;
  }
}
