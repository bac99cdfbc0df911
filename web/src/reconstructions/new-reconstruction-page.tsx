import { ReconstructionMethod } from "../gql/graphql";
import { useDocumentTitle } from "../layout/use-document-title";
import { ReconstructForm } from "../scenes/reconstruct-form";
import { PageHeader } from "../ui/page-header";
import { reconstructionsPath } from "./reconstruction-paths";

/** The methods that need no scene: one image through a depth or image-to-3D model, or a prompt. */
const METHODS = [
  ReconstructionMethod.DepthMesh,
  ReconstructionMethod.ImageTo_3D,
  ReconstructionMethod.TextTo_3D,
];

export default function NewReconstructionPage() {
  useDocumentTitle("New reconstruction");
  return (
    <>
      <PageHeader
        title="New reconstruction"
        crumbs={[{ label: "Reconstructions", to: reconstructionsPath }]}
      />
      <ReconstructForm methods={METHODS} />
    </>
  );
}
