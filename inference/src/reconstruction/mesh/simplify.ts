import { MeshoptSimplifier } from "meshoptimizer";
import type { TriangleMesh } from "../contracts.js";
import { withoutUnusedVertices } from "./mesh-topology.js";

/**
 * The error the simplifier may reach, relative to the mesh's extent. Large on purpose: the
 * triangle budget is what the caller sets, so the simplifier collapses edges in order of least
 * error until it meets the budget, rather than stopping early at a quality bound.
 */
const ERROR_ALLOWANCE = 1;

/** How much a colour difference weighs against geometric error when collapsing an edge. */
const COLOUR_WEIGHT = 0.5;

/**
 * Reduces `mesh` to at most about `targetTriangles` triangles with meshoptimizer's
 * quadric-error simplifier (colours taken into account when present). Collapsing edges keeps the
 * surviving vertices where they were, so winding and colours carry over.
 */
export async function simplifyMesh(mesh: TriangleMesh, targetTriangles: number): Promise<TriangleMesh> {
  if (mesh.indices.length / 3 <= targetTriangles) return mesh;
  await MeshoptSimplifier.ready;
  const targetIndexCount = targetTriangles * 3;
  const [indices] = mesh.colors
    ? MeshoptSimplifier.simplifyWithAttributes(
        mesh.indices,
        mesh.positions,
        3,
        mesh.colors,
        3,
        [COLOUR_WEIGHT, COLOUR_WEIGHT, COLOUR_WEIGHT],
        null,
        targetIndexCount,
        ERROR_ALLOWANCE,
      )
    : MeshoptSimplifier.simplify(mesh.indices, mesh.positions, 3, targetIndexCount, ERROR_ALLOWANCE);
  return withoutUnusedVertices({ ...mesh, indices: new Uint32Array(indices) });
}
