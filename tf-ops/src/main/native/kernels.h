// The hot loops of Oddball's op library, compiled once per x86-64 class (kernels.cc, built three times by build.sh:
// AVX-512, AVX2 + FMA, baseline) and chosen once per process (Kernels::Get). No TensorFlow in here.
#ifndef ODDBALL_KERNELS_H_
#define ODDBALL_KERNELS_H_

#include <cstdint>

namespace oddball {

// A stride-1 convolution's geometry, for its kernel gradient: x [·, h, w, c], dy [·, ho, wo, f], dw [kh, kw, c, f].
struct ConvGeom {
  int64_t h, w, c;
  int64_t ho, wo, f;
  int64_t kh, kw;
  int64_t pad_top, pad_left;
};

// A strided convolution's patches: k × k kernel, stride s, padding top/left, output ho × wo of input h × w.
struct Geom {
  int64_t k, s, top, left, ho, wo, h, w;
};

// One x86-64 class's build of every loop, over rows [r0, r1) (see kernels.cc).
struct Kernels {
  const char* isa;  // "avx512", "avx2" or "baseline"
  void (*concat_elu_rows)(const float* const* xs, const int64_t* cs, int n, int64_t ctot, float* y, int64_t r0,
                          int64_t r1);
  void (*bias_sum_concat_elu_rows)(const float* const* xs, int n, const float* bias, int64_t c, const float* scale,
                                   int64_t rows_per_b, float* y, int64_t r0, int64_t r1);
  void (*concat_elu_grad_rows)(const float* y, const float* dy, int64_t c, float* dx, int64_t r0, int64_t r1);
  void (*scaled_concat_elu_grad_rows)(const float* y, const float* dy, const float* scale, int64_t rows_per_b,
                                      int64_t c, float* dx, int64_t r0, int64_t r1);
  void (*gate_rows)(const float* og, const float* y, const float* bias, int64_t c, float* z, int64_t r0, int64_t r1);
  void (*gate_grad_rows)(const float* y, const float* bias, const float* dz, int64_t c, float* dy, int64_t r0,
                         int64_t r1);
  void (*patches_grad_rows)(const float* dp, const Geom& g, int64_t c, float* dx, int64_t r0, int64_t r1);
  void (*bias_act_rows)(float* y, const float* bias, int64_t c, int act, int64_t r0, int64_t r1);
  // adds the kernel gradient of images [n0, n1) to acc ([kh, kw, c, f], zeroed by the caller)
  void (*conv_filter_grad)(const float* x, const float* dy, const ConvGeom& g, int64_t n0, int64_t n1, float* acc);
  // Winograd F(2×2, 2×2) of a 4×4 stride-2 convolution (see kernels.cc): the input transform into u [9, B·T, 4C] and
  // the output transform of m [9, B·T, F] into y [B, Ho, Wo, F] with the bias and the activation, over rows
  // r = (b, ty) of 2 × 2 output tiles; `plane` is the distance between the 9 planes in floats
  void (*winograd_input_rows)(const float* x, const Geom& g, int64_t c, int64_t plane, float* u, int64_t r0,
                              int64_t r1);
  void (*winograd_output_rows)(const float* m, const Geom& g, int64_t f, int64_t plane, const float* bias, int act,
                               float* y, int64_t r0, int64_t r1);

  // The build for this CPU: the widest class it supports, capped by the environment variable ODDBALL_OPS_ISA
  // (avx512, avx2 or baseline; for tests that stand in for an older CPU, as oneDNN's ONEDNN_MAX_CPU_ISA).
  static const Kernels& Get();
};

namespace isa_avx512 { extern const Kernels kKernels; }
namespace isa_avx2 { extern const Kernels kKernels; }
namespace isa_baseline { extern const Kernels kKernels; }

}  // namespace oddball

#endif  // ODDBALL_KERNELS_H_
