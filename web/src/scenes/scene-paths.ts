export const scenesPath = "/scenes";
export const uploadScenePath = "/scenes/upload";
export const scenePath = (sceneId: string) => `/scenes/${encodeURIComponent(sceneId)}`;
