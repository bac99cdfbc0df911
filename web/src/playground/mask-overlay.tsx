import { useEffect, useRef, useState } from "react";
import { Skeleton } from "../ui/skeleton";
import { loadMaskPixels } from "./mask-pixels";
import { colourMask } from "./segment-colours";

export interface MaskOverlayProps {
  maskUrl: string;
  /** The image the mask belongs to. */
  imageUrl: string;
  width: number;
  height: number;
  /** Classes (by index) the person switched off. */
  hiddenClasses: ReadonlySet<number>;
  /** 0…1, of the mask layer over the image. */
  opacity: number;
  /** What the picture shows, for screen readers. */
  label: string;
}

type MaskState = { url: string; pixels: ImageData } | { url: string; error: string };

/** The image with the mask's class colours drawn over it on a canvas of the mask's own size. */
export function MaskOverlay({
  maskUrl,
  imageUrl,
  width,
  height,
  hiddenClasses,
  opacity,
  label,
}: MaskOverlayProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [mask, setMask] = useState<MaskState | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    loadMaskPixels(maskUrl, controller.signal).then(
      (pixels) => setMask({ url: maskUrl, pixels }),
      (error: unknown) => {
        if (!controller.signal.aborted) setMask({ url: maskUrl, error: (error as Error).message });
      },
    );
    return () => controller.abort();
  }, [maskUrl]);

  const loaded = mask?.url === maskUrl && "pixels" in mask ? mask.pixels : null;
  useEffect(() => {
    const context = canvas.current?.getContext("2d");
    if (!context || !loaded) return;
    context.putImageData(
      new ImageData(colourMask(loaded.data, hiddenClasses), loaded.width, loaded.height),
      0,
      0,
    );
  }, [loaded, hiddenClasses]);

  if (mask?.url === maskUrl && "error" in mask) {
    return (
      <div className="error-message" role="alert">
        <p>{mask.error}</p>
      </div>
    );
  }
  return (
    <figure className="mask-overlay" role="group" aria-label={label}>
      {!loaded && <Skeleton lines={4} label="Loading the mask" />}
      <div
        className="overlay-stack"
        // As wide as the column allows, but never taller than 32rem: tall images shrink in width instead.
        style={{
          aspectRatio: `${width} / ${height}`,
          width: `min(100%, ${((32 * width) / height).toFixed(2)}rem)`,
        }}
        hidden={!loaded}
      >
        <img src={imageUrl} alt="" />
        <canvas
          ref={canvas}
          width={loaded?.width ?? width}
          height={loaded?.height ?? height}
          style={{ opacity }}
          aria-hidden="true"
        />
      </div>
      <figcaption className="muted">Class colours over the image</figcaption>
    </figure>
  );
}
