// The kernel gradient of a stride-1 2-D convolution with zero padding, channels last, float32:
//
//   dw[a, b, c, f] = Σ_{n, h, w} x[n, h + a − pad_top, w + b − pad_left, c] · dy[n, h, w, f]
//
// (x outside its bounds is zero), for x [B, H, W, C], dy [B, Ho, Wo, F], dw [kh, kw, C, F]. A matrix product with a
// long reduction (every output pixel) and a small result: register tiles of MR input channels × 16·NV output
// channels accumulate over a few output rows at a time, so that the rows of x and dy they read stay in the L1
// cache, and the zero padding is skipped rather than materialised. Used by oddball_ops.cc; no TensorFlow in here.
#ifndef ODDBALL_CONV_FILTER_GRAD_H_
#define ODDBALL_CONV_FILTER_GRAD_H_

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace oddball {

struct ConvGeom {
  int64_t h, w, c;    // x: [·, h, w, c]
  int64_t ho, wo, f;  // dy: [·, ho, wo, f]
  int64_t kh, kw;     // dw: [kh, kw, c, f]
  int64_t pad_top, pad_left;
};

typedef float v16 __attribute__((vector_size(64)));
typedef float v16u __attribute__((vector_size(64), aligned(4)));

// acc[c0 + i, f0 + 16v + l] of tap (a, b) += Σ over output rows [h0, h1) of image n; acc points at tap (a, b).
template <int MR, int NV>
inline __attribute__((always_inline)) void FilterGradTile(const float* __restrict x, const float* __restrict dy,
                                                          const ConvGeom& g, int64_t a, int64_t b, int64_t h0,
                                                          int64_t h1, int64_t c0, int64_t f0,
                                                          float* __restrict acc) {
  v16 s[MR][NV];
  for (int i = 0; i < MR; ++i) {
    for (int v = 0; v < NV; ++v) s[i][v] = *reinterpret_cast<const v16u*>(acc + (c0 + i) * g.f + f0 + 16 * v);
  }
  const int64_t lo = std::max<int64_t>(0, g.pad_left - b);
  const int64_t hi = std::min<int64_t>(g.wo, g.w + g.pad_left - b);
  for (int64_t h = h0; h < h1; ++h) {
    const int64_t ih = h + a - g.pad_top;
    if (ih < 0 || ih >= g.h || lo >= hi) continue;
    const float* xr = x + (ih * g.w + lo + b - g.pad_left) * g.c + c0;
    const float* dr = dy + (h * g.wo + lo) * g.f + f0;
    for (int64_t w = lo; w < hi; ++w, xr += g.c, dr += g.f) {
      v16 d[NV];
      for (int v = 0; v < NV; ++v) d[v] = *reinterpret_cast<const v16u*>(dr + 16 * v);
      for (int i = 0; i < MR; ++i) {
        const float xi = xr[i];
        for (int v = 0; v < NV; ++v) s[i][v] += xi * d[v];
      }
    }
  }
  for (int i = 0; i < MR; ++i) {
    for (int v = 0; v < NV; ++v) *reinterpret_cast<v16u*>(acc + (c0 + i) * g.f + f0 + 16 * v) = s[i][v];
  }
}

// The output channels [f0, f1) (fewer than 16) of the same, one at a time.
inline void FilterGradTail(const float* __restrict x, const float* __restrict dy, const ConvGeom& g, int64_t a,
                           int64_t b, int64_t h0, int64_t h1, int64_t f0, float* __restrict acc) {
  const int64_t lo = std::max<int64_t>(0, g.pad_left - b);
  const int64_t hi = std::min<int64_t>(g.wo, g.w + g.pad_left - b);
  for (int64_t h = h0; h < h1; ++h) {
    const int64_t ih = h + a - g.pad_top;
    if (ih < 0 || ih >= g.h) continue;
    for (int64_t w = lo; w < hi; ++w) {
      const float* xr = x + (ih * g.w + w + b - g.pad_left) * g.c;
      const float* dr = dy + (h * g.wo + w) * g.f;
      for (int64_t c = 0; c < g.c; ++c) {
        for (int64_t f = f0; f < g.f; ++f) acc[c * g.f + f] += xr[c] * dr[f];
      }
    }
  }
}

// Channels [0, c) of tap (a, b) in tiles of MR (the rest one at a time), output channels [f0, f0 + 16·NV).
template <int MR, int NV>
inline __attribute__((always_inline)) void FilterGradChannels(const float* x, const float* dy, const ConvGeom& g,
                                                              int64_t a, int64_t b, int64_t h0, int64_t h1,
                                                              int64_t f0, float* acc) {
  int64_t c0 = 0;
  for (; c0 + MR <= g.c; c0 += MR) FilterGradTile<MR, NV>(x, dy, g, a, b, h0, h1, c0, f0, acc);
  for (; c0 < g.c; ++c0) FilterGradTile<1, NV>(x, dy, g, a, b, h0, h1, c0, f0, acc);
}

// Adds the kernel gradient of images [n0, n1) to acc ([kh, kw, C, F], which the caller zeroes).
#if defined(__x86_64__) && !defined(ODDBALL_NO_CLONES)
__attribute__((target_clones("avx512f", "avx2", "default")))
#endif
static void ConvFilterGrad(const float* x, const float* dy, const ConvGeom& g, int64_t n0, int64_t n1, float* acc) {
  // about 16 KB of dy rows per pass, so that they and the x rows they meet stay in L1
  const int64_t rows = std::max<int64_t>(1, (16 << 10) / std::max<int64_t>(1, g.wo * g.f * 4));
  for (int64_t n = n0; n < n1; ++n) {
    const float* xn = x + n * g.h * g.w * g.c;
    const float* dn = dy + n * g.ho * g.wo * g.f;
    for (int64_t h0 = 0; h0 < g.ho; h0 += rows) {
      const int64_t h1 = std::min(g.ho, h0 + rows);
      for (int64_t a = 0; a < g.kh; ++a) {
        for (int64_t b = 0; b < g.kw; ++b) {
          float* t = acc + (a * g.kw + b) * g.c * g.f;
          int64_t f0 = 0;
          for (; f0 + 64 <= g.f; f0 += 64) FilterGradChannels<4, 4>(xn, dn, g, a, b, h0, h1, f0, t);
          for (; f0 + 32 <= g.f; f0 += 32) FilterGradChannels<8, 2>(xn, dn, g, a, b, h0, h1, f0, t);
          for (; f0 + 16 <= g.f; f0 += 16) FilterGradChannels<8, 1>(xn, dn, g, a, b, h0, h1, f0, t);
          if (f0 < g.f) FilterGradTail(xn, dn, g, a, b, h0, h1, f0, t);
        }
      }
    }
  }
}

}  // namespace oddball

#endif  // ODDBALL_CONV_FILTER_GRAD_H_
