import { Extension, type WriterContext } from "@gltf-transform/core";

/**
 * KHR_materials_unlit on every material of the document. A baked radiance field's colours
 * already contain their lighting; a lit material would shade them a second time. The extension
 * has no properties of its own, so core's Extension suffices (no @gltf-transform/extensions).
 */
export class MaterialsUnlit extends Extension {
  static override readonly EXTENSION_NAME = "KHR_materials_unlit";
  override readonly extensionName = "KHR_materials_unlit";

  override read(): this {
    return this;
  }

  override write(context: WriterContext): this {
    const materials = context.jsonDoc.json.materials ?? [];
    for (const index of context.materialIndexMap.values()) {
      const material = materials[index];
      if (material) material.extensions = { ...material.extensions, [this.extensionName]: {} };
    }
    return this;
  }
}
