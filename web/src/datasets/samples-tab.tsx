import { useEffect, useRef, useState, type KeyboardEvent } from "react";
import { useSearchParams } from "react-router";
import { EmptyState } from "../ui/empty-state";
import { ClassEdits } from "./class-edits";
import { ClassFilter, UNLABELED_POOL } from "./class-filter";
import { CurationBar, SHORTCUT_CLASSES } from "./curation-bar";
import { EditForm } from "./edit-form";
import { emptySelection, type GridSelection } from "./grid-selection";
import { MapSelectionBar, useMapSelection } from "./map-selection";
import type { SampleTile } from "./sample-catalog";
import { SampleGrid } from "./sample-grid";
import { useCatalogSnapshot, useSampleCatalog } from "./use-sample-catalog";
import { useVersionEdit } from "./use-version-edit";
import { useVersion } from "./version-context";
import { relabelChanges, type VersionEdit } from "./version-edits";

/**
 * The version's images by class, as a grid of thumbnails that stays fast at thousands of images.
 * Whoever may edit the dataset also selects samples there and relabels, moves or deletes them,
 * and renames or merges classes: each edit a new version.
 */
export default function SamplesTab() {
  const { datasetId, version, catalog: allSamples, canEdit, remember } = useVersion();
  const [params, setParams] = useSearchParams();
  const chosen = version.classes.find((entry) => entry.classId === params.get("class")) ?? null;
  // The unlabeled pool: samples without a class, which "All classes" leaves out.
  const pool = !chosen && params.get("class") === UNLABELED_POOL && version.unlabeledCount > 0;
  const classCatalog = useSampleCatalog(version.id, chosen?.classId ?? null, pool);
  // Samples lassoed on the embedding map, when the map opened the grid with them.
  const mapSelection = useMapSelection(version.id);
  // "All classes" shares the catalog the other tabs fill, so what they loaded is not loaded again.
  const catalog = mapSelection?.catalog ?? (chosen || pool ? classCatalog : allSamples);
  const snapshot = useCatalogSnapshot(catalog);
  // The viewer finds samples in the catalog of all classes, which holds no pool sample.
  useEffect(() => {
    if (pool && snapshot.samples.length > 0) remember(snapshot.samples);
  }, [pool, snapshot.samples, remember]);
  const [selection, setSelection] = useState<GridSelection>(emptySelection);
  const [proposed, setProposed] = useState<VersionEdit | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const editor = useVersionEdit(datasetId, version.id);
  const main = useRef<HTMLDivElement>(null);
  const selected = snapshot.samples.filter((sample) => selection.selected.has(sample.sampleId));

  const choose = (classId: string | null) => {
    setSelection(emptySelection);
    setParams((current) => {
      const next = new URLSearchParams(current);
      if (classId) next.set("class", classId);
      else next.delete("class");
      return next;
    });
  };
  const propose = (edit: VersionEdit) => {
    setStatus(null);
    editor.reset();
    setProposed(edit);
  };
  const relabel = (targets: readonly SampleTile[], label: string) => {
    const changes = relabelChanges(targets, label);
    if (changes.length === 0) {
      setStatus(`${targets.length === 1 ? "It is" : "They are all"} in ${label} already.`);
      return;
    }
    propose({ kind: "relabel", changes });
  };
  const remove = (targets: readonly SampleTile[]) =>
    propose({ kind: "delete", sampleIds: targets.map((sample) => sample.sampleId) });

  // Number keys act on the selection only: the bar lists which key gives which class while there
  // is one. Delete also takes the sample the arrows reached (it names it before anything happens).
  const onShortcut = (event: KeyboardEvent, active: SampleTile | undefined): boolean => {
    if (!canEdit || event.ctrlKey || event.metaKey || event.altKey) return false;
    if (/^[1-9]$/.test(event.key)) {
      const entry = version.classes[Number(event.key) - 1];
      if (selected.length === 0 || !entry || Number(event.key) > SHORTCUT_CLASSES) return false;
      relabel(selected, entry.name);
      return true;
    }
    const targets = selected.length > 0 ? selected : active ? [active] : [];
    if (targets.length === 0) return false;
    if (event.key === "Delete") {
      remove(targets);
      return true;
    }
    return false;
  };

  if (version.imageCount === 0 && version.unlabeledCount === 0) {
    return (
      <EmptyState title="This version has no images">Upload a ZIP of class folders to add some.</EmptyState>
    );
  }
  return (
    <div className="samples-tab">
      <div className="samples-side">
        <ClassFilter
          classes={version.classes}
          total={version.imageCount}
          unlabeledCount={version.unlabeledCount}
          chosen={pool ? UNLABELED_POOL : (chosen?.classId ?? null)}
          onChoose={choose}
        />
        {canEdit && <ClassEdits classes={version.classes} onPropose={propose} />}
      </div>
      <div className="samples-main" ref={main}>
        {mapSelection && <MapSelectionBar selection={mapSelection.selection} />}
        {canEdit &&
          (proposed ? (
            <EditForm
              edit={proposed}
              editor={editor}
              onCancel={() => {
                setProposed(null);
                // Back to the grid, where the keys that proposed the edit were pressed.
                main.current?.querySelector<HTMLElement>("[role=grid]")?.focus();
              }}
            />
          ) : (
            <CurationBar
              selected={selected}
              classes={version.classes}
              onRelabel={(label) => relabel(selected, label)}
              onDelete={() => remove(selected)}
              onClear={() => setSelection(emptySelection)}
              status={status}
            />
          ))}
        <SampleGrid
          catalog={catalog}
          expectedCount={
            mapSelection
              ? mapSelection.selection.sampleIds.length
              : chosen
                ? chosen.count
                : pool
                  ? version.unlabeledCount
                  : version.imageCount
          }
          label={
            mapSelection
              ? "Samples lassoed on the embedding map"
              : chosen
                ? `Samples of class ${chosen.name}`
                : pool
                  ? "Samples without a class"
                  : "Samples of all classes"
          }
          selection={canEdit ? selection : undefined}
          onSelectionChange={canEdit ? setSelection : undefined}
          onShortcut={onShortcut}
        />
      </div>
    </div>
  );
}
