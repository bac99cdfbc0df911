import { useSearchParams } from "react-router";
import { EmptyState } from "../ui/empty-state";
import { ClassFilter } from "./class-filter";
import { SampleGrid } from "./sample-grid";
import { useSampleCatalog } from "./use-sample-catalog";
import { useVersion } from "./version-context";

/** The version's images by class, as a grid of thumbnails that stays fast at thousands of images. */
export default function SamplesTab() {
  const { version, catalog: allSamples } = useVersion();
  const [params, setParams] = useSearchParams();
  const chosen = version.classes.find((entry) => entry.classId === params.get("class")) ?? null;
  const classCatalog = useSampleCatalog(version.id, chosen?.classId ?? null);
  // "All classes" shares the catalog the other tabs fill, so what they loaded is not loaded again.
  const catalog = chosen ? classCatalog : allSamples;

  const choose = (classId: string | null) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      if (classId) next.set("class", classId);
      else next.delete("class");
      return next;
    });

  if (version.imageCount === 0) {
    return (
      <EmptyState title="This version has no images">Upload a ZIP of class folders to add some.</EmptyState>
    );
  }
  return (
    <div className="samples-tab">
      <ClassFilter
        classes={version.classes}
        total={version.imageCount}
        chosen={chosen?.classId ?? null}
        onChoose={choose}
      />
      <SampleGrid
        catalog={catalog}
        expectedCount={chosen ? chosen.count : version.imageCount}
        label={chosen ? `Samples of class ${chosen.name}` : "Samples of all classes"}
      />
    </div>
  );
}
