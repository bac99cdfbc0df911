export const predictionImagePath = (predictionId: string) => `/files/predictions/${predictionId}/image`;
