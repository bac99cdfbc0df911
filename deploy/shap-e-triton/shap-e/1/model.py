"""Shap-E text-to-3D on Triton's Python backend, answering Tessera's generative backend contract.

NOT TESTED HERE: Tessera's CI has no GPU and cannot download Shap-E's weights. This is the recipe
an operator runs on a GPU host (see ../../README.md).

Contract (inference/src/reconstruction/service/generative-contract.ts):
  input  prompt    BYTES [1]  UTF-8 text
  output mesh_glb  BYTES [1]  a glTF 2.0 binary, +Y up, metres, vertex colours
  request parameters (strings): seed, guidance_scale, karras_steps
"""

import io
import json

import numpy as np
import torch
import trimesh
import triton_python_backend_utils as pb_utils
from shap_e.diffusion.gaussian_diffusion import diffusion_from_config
from shap_e.diffusion.sample import sample_latents
from shap_e.models.download import load_config, load_model
from shap_e.util.notebooks import decode_latent_mesh

# Shap-E's meshes are +Z up; glTF is +Y up: (x, y, z) -> (x, z, -y).
Z_UP_TO_Y_UP = np.array([[1, 0, 0], [0, 0, 1], [0, -1, 0]], dtype=np.float32)


class TritonPythonModel:
    def initialize(self, args):
        config = json.loads(args["model_config"])
        self.defaults = {
            key: value["string_value"] for key, value in config.get("parameters", {}).items()
        }
        self.device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
        # Downloads the weights on first start into SHAP_E cache (~/.cache/shap_e_model_cache).
        self.transmitter = load_model("transmitter", device=self.device)
        self.model = load_model("text300M", device=self.device)
        self.diffusion = diffusion_from_config(load_config("diffusion"))

    def execute(self, requests):
        responses = []
        for request in requests:
            try:
                responses.append(pb_utils.InferenceResponse(output_tensors=[self._generate(request)]))
            except ValueError as error:
                responses.append(
                    pb_utils.InferenceResponse(
                        error=pb_utils.TritonError(str(error), pb_utils.TritonError.INVALID_ARG)
                    )
                )
        return responses

    def _generate(self, request):
        prompt_tensor = pb_utils.get_input_tensor_by_name(request, "prompt").as_numpy().reshape(-1)
        prompt = prompt_tensor[0].decode("utf-8").strip()
        if not prompt:
            raise ValueError("prompt is empty")
        parameters = {**self.defaults, **json.loads(request.parameters() or "{}")}
        torch.manual_seed(int(parameters.get("seed", 0)))
        latents = sample_latents(
            batch_size=1,
            model=self.model,
            diffusion=self.diffusion,
            guidance_scale=float(parameters.get("guidance_scale", 15.0)),
            model_kwargs=dict(texts=[prompt]),
            progress=False,
            clip_denoised=True,
            use_fp16=self.device.type == "cuda",
            use_karras=True,
            karras_steps=int(parameters.get("karras_steps", 64)),
            sigma_min=1e-3,
            sigma_max=160,
            s_churn=0,
        )
        mesh = decode_latent_mesh(self.transmitter, latents[0]).tri_mesh()
        colours = np.stack([mesh.vertex_channels[channel] for channel in "RGB"], axis=1)
        glb = trimesh.Trimesh(
            vertices=mesh.verts @ Z_UP_TO_Y_UP.T,
            faces=mesh.faces,
            vertex_colors=(np.clip(colours, 0, 1) * 255).astype(np.uint8),
            process=False,
        ).export(file_type="glb")
        return pb_utils.Tensor("mesh_glb", np.array([glb], dtype=np.object_))
