// The hot loops of Oddball's op library. build.sh compiles this file three times, with
// ODDBALL_ISA_NS = isa_avx512 (-mavx512f -mavx512vl -mavx512bw -mavx512dq -mfma, 16-float vectors),
// isa_avx2 (-mavx2 -mfma, 8-float vectors) and isa_baseline (x86-64's SSE2, 4-float vectors), each into its own
// namespace; Kernels::Get (oddball_ops.cc) picks one per process. -ffp-contract=fast lets a·b + c become one FMA.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "kernels.h"

#ifndef ODDBALL_ISA_NS
#error "build.sh defines ODDBALL_ISA_NS and ODDBALL_VEC"
#endif

namespace oddball {
namespace ODDBALL_ISA_NS {
namespace {

// exp(x) for float, Cephes' polynomial (relative error about 2e-7), branch-free so that the loops vectorise.
inline float fast_exp(float x) {
  x = std::min(88.3762626647949f, std::max(-87.3365447505531f, x));
  float fx = __builtin_floorf(x * 1.44269504088896341f + 0.5f);
  float r = x - fx * 0.693359375f + fx * 2.12194440e-4f;
  float z = r * r;
  float y = ((((1.9875691500E-4f * r + 1.3981999507E-3f) * r + 8.3334519073E-3f) * r + 4.1665795894E-2f) * r +
             1.6666665459E-1f) * r + 5.0000001201E-1f;
  y = y * z + r + 1.0f;
  int32_t n = static_cast<int32_t>(fx) + 127;
  n = n < 1 ? 1 : n;  // 2^-126 at most: x was clamped above −87.34
  int32_t bits = n << 23;
  float scale;
  std::memcpy(&scale, &bits, sizeof scale);
  return y * scale;
}

// elu(v) into pos[k] and elu(−v) into neg[k], with one exp: one of the two is exp(−|v|) − 1, the other linear.
inline void concat_elu_store(float v, float* __restrict pos, float* __restrict neg, int64_t k) {
  const float t = fast_exp(-std::fabs(v)) - 1.0f;
  pos[k] = v > 0 ? v : t;
  neg[k] = v > 0 ? t : -v;
}

// ---------------------------------------------------------------------------------------------------------------
// The loops, over rows [r0, r1).

void concat_elu_rows(const float* const* xs, const int64_t* cs, int n, int64_t ctot, float* y, int64_t r0,
                     int64_t r1) {
  for (int64_t r = r0; r < r1; ++r) {
    float* __restrict pos = y + r * 2 * ctot;
    float* __restrict neg = pos + ctot;
    for (int i = 0; i < n; ++i) {
      const int64_t c = cs[i];
      const float* x = xs[i] + r * c;
      for (int64_t k = 0; k < c; ++k) concat_elu_store(x[k], pos, neg, k);
      pos += c;
      neg += c;
    }
  }
}

// z = bias + x0 [+ x1] (one input, or two: a skip connection); more inputs are summed into a row buffer first. Each
// case has its own loop: a conditional load inside one loop kept it from vectorising (20× slower).
void bias_sum_concat_elu_rows(const float* const* xs, int n, const float* __restrict bias, int64_t c,
                              const float* __restrict scale, int64_t rows_per_b, float* __restrict y, int64_t r0,
                              int64_t r1) {
  std::vector<float> acc(n > 2 ? c : 0);
  for (int64_t r = r0; r < r1; ++r) {
    float* __restrict pos = y + r * 2 * c;
    float* __restrict neg = pos + c;
    const float* __restrict x0 = xs[0] + r * c;
    if (n == 1) {
      for (int64_t k = 0; k < c; ++k) concat_elu_store(x0[k] + bias[k], pos, neg, k);
      continue;
    }
    const float* __restrict x1 = xs[1] + r * c;
    if (n > 2) {
      for (int64_t k = 0; k < c; ++k) acc[k] = x1[k];
      for (int i = 2; i < n; ++i) {
        const float* __restrict xi = xs[i] + r * c;
        for (int64_t k = 0; k < c; ++k) acc[k] += xi[k];
      }
      x1 = acc.data();
    }
    for (int64_t k = 0; k < c; ++k) concat_elu_store(x0[k] + bias[k] + x1[k], pos, neg, k);
  }
  if (scale != nullptr) {  // dropout: row r of instance r / rows_per_b times that instance's 2C channel scales
    for (int64_t r = r0; r < r1; ++r) {
      float* __restrict out = y + r * 2 * c;
      const float* __restrict sc = scale + (r / rows_per_b) * 2 * c;
      for (int64_t k = 0; k < 2 * c; ++k) out[k] *= sc[k];
    }
  }
}

void concat_elu_grad_rows(const float* y, const float* dy, int64_t c, float* dx, int64_t r0, int64_t r1) {
  for (int64_t r = r0; r < r1; ++r) {
    const float* yp = y + r * 2 * c;
    const float* yn = yp + c;
    const float* dp = dy + r * 2 * c;
    const float* dn = dp + c;
    float* out = dx + r * c;
    for (int64_t k = 0; k < c; ++k) {
      // elu'(z) = 1 for z > 0, else elu(z) + 1; z > 0 exactly when elu(z) > 0
      const float gp = yp[k] > 0 ? 1.0f : yp[k] + 1.0f;
      const float gn = yn[k] > 0 ? 1.0f : yn[k] + 1.0f;
      out[k] = dp[k] * gp - dn[k] * gn;
    }
  }
}

// The same for y = s · concat-ELU(z) (dropout scales s ≥ 0 per instance and channel): s · elu'(z) is s where
// y > 0 and y + s elsewhere (s · (elu(z) + 1)), which is 0 where s = 0 — no division.
void scaled_concat_elu_grad_rows(const float* y, const float* dy, const float* scale, int64_t rows_per_b, int64_t c,
                                 float* dx, int64_t r0, int64_t r1) {
  for (int64_t r = r0; r < r1; ++r) {
    const float* yp = y + r * 2 * c;
    const float* yn = yp + c;
    const float* dp = dy + r * 2 * c;
    const float* dn = dp + c;
    const float* sp = scale + (r / rows_per_b) * 2 * c;
    const float* sn = sp + c;
    float* out = dx + r * c;
    for (int64_t k = 0; k < c; ++k) {
      const float gp = yp[k] > 0 ? sp[k] : yp[k] + sp[k];
      const float gn = yn[k] > 0 ? sn[k] : yn[k] + sn[k];
      out[k] = dp[k] * gp - dn[k] * gn;
    }
  }
}

void gate_rows(const float* og, const float* y, const float* bias, int64_t c, float* z, int64_t r0, int64_t r1) {
  for (int64_t r = r0; r < r1; ++r) {
    const float* a = y + r * 2 * c;
    const float* b = a + c;
    const float* o = og + r * c;
    float* out = z + r * c;
    for (int64_t k = 0; k < c; ++k) {
      const float s = 1.0f / (1.0f + fast_exp(-(b[k] + bias[c + k])));
      out[k] = o[k] + (a[k] + bias[k]) * s;
    }
  }
}

void gate_grad_rows(const float* __restrict y, const float* __restrict bias, const float* __restrict dz, int64_t c,
                    float* __restrict dy, int64_t r0, int64_t r1) {
  const float* ba = bias;
  const float* bb = bias + c;
  for (int64_t r = r0; r < r1; ++r) {
    const float* a = y + r * 2 * c;
    const float* b = a + c;
    const float* d = dz + r * c;
    float* out = dy + r * 2 * c;
    for (int64_t k = 0; k < c; ++k) {
      const float s = 1.0f / (1.0f + fast_exp(-(b[k] + bb[k])));
      const float ds = d[k] * s;
      out[k] = ds;
      out[c + k] = ds * (a[k] + ba[k]) * (1.0f - s);
    }
  }
}

void add_row(const float* __restrict a, float* __restrict y, int64_t c) {
  for (int64_t i = 0; i < c; ++i) y[i] += a[i];
}

// Rows r = (b, ih) of the input gradient: per patch row that reads input row ih (ky), each patch adds its k·C
// contiguous values of that row into place, in a fixed order (ky, then patch column).
void patches_grad_rows(const float* dp, const Geom& g, int64_t c, float* dx, int64_t r0, int64_t r1) {
  const int64_t kkc = g.k * g.k * c;
  for (int64_t r = r0; r < r1; ++r) {
    const int64_t b = r / g.h;
    const int64_t ih = r % g.h;
    float* row = dx + r * g.w * c;
    std::fill(row, row + g.w * c, 0.0f);
    for (int64_t ky = 0; ky < g.k; ++ky) {
      const int64_t t = ih + g.top - ky;
      if (t < 0 || t % g.s != 0 || t / g.s >= g.ho) continue;
      const float* prow = dp + (b * g.ho + t / g.s) * g.wo * kkc + ky * g.k * c;
      for (int64_t ow = 0; ow < g.wo; ++ow) {
        const int64_t iw0 = ow * g.s - g.left;
        const int64_t lo = std::max<int64_t>(0, -iw0);
        const int64_t hi = std::min<int64_t>(g.k, g.w - iw0);
        if (hi > lo) add_row(prow + ow * kkc + lo * c, row + (iw0 + lo) * c, (hi - lo) * c);
      }
    }
  }
}

// bias and activation over rows [r0, r1) of C values.
void bias_act_rows(float* __restrict y, const float* __restrict bias, int64_t c, int act, int64_t r0, int64_t r1) {
  for (int64_t r = r0; r < r1; ++r) {
    float* __restrict v = y + r * c;
    switch (act) {
      case 1:
        for (int64_t k = 0; k < c; ++k) v[k] = std::max(0.0f, v[k] + bias[k]);
        break;
      case 2:
        for (int64_t k = 0; k < c; ++k) v[k] = 1.0f / (1.0f + fast_exp(-(v[k] + bias[k])));
        break;
      case 3:
        for (int64_t k = 0; k < c; ++k) {
          const float z = v[k] + bias[k];
          v[k] = z > 0 ? z : fast_exp(z) - 1.0f;
        }
        break;
      default:
        for (int64_t k = 0; k < c; ++k) v[k] += bias[k];
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Winograd F(2×2, 2×2) for a 4×4 stride-2 convolution (inference): cut into 2 × 2 blocks (space-to-depth, channels
// (dy, dx, c)) the input makes the convolution a 2×2 stride-1 one over 4·C channels, and each 2 × 2 output tile
// (ty, tx) is Aᵀ[(Bᵀ d B) ⊙ (G g Gᵀ)]A of its 3 × 3 blocks d, with Bᵀ = [1 −1 0; 0 1 0; 0 −1 1],
// G = [1 0; 1 1; 0 1], Aᵀ = [1 1 0; 0 1 1]: 9 products of 4·C channels per tile where the patches take 16.
// The input transform writes plane k = 3·row + col of u ([9, B·T, 4C], T tiles per image, `plane` floats apart);
// rows r = (b, ty) of tiles.
// Bᵀ d B of one block position's channels: d the 3 × 3 blocks' rows of c values, the 9 planes `plane` apart.
inline void winograd_input_channels(const float* const (&d)[3][3], float* o, int64_t plane, int64_t c) {
  const float* __restrict d00 = d[0][0];
  const float* __restrict d01 = d[0][1];
  const float* __restrict d02 = d[0][2];
  const float* __restrict d10 = d[1][0];
  const float* __restrict d11 = d[1][1];
  const float* __restrict d12 = d[1][2];
  const float* __restrict d20 = d[2][0];
  const float* __restrict d21 = d[2][1];
  const float* __restrict d22 = d[2][2];
  float* __restrict o0 = o;
  float* __restrict o1 = o + plane;
  float* __restrict o2 = o + 2 * plane;
  float* __restrict o3 = o + 3 * plane;
  float* __restrict o4 = o + 4 * plane;
  float* __restrict o5 = o + 5 * plane;
  float* __restrict o6 = o + 6 * plane;
  float* __restrict o7 = o + 7 * plane;
  float* __restrict o8 = o + 8 * plane;
  // (restrict on block-scope pointers does not tell GCC that the 9 rows written never overlap the
  // 9 read or each other; they do not: u is a fresh output, and rows outside x all read the same zeros, read only)
#pragma GCC ivdep
  for (int64_t q = 0; q < c; ++q) {
    const float t01 = d01[q] - d11[q];
    const float t21 = d21[q] - d11[q];
    o0[q] = (d00[q] - d10[q]) - t01;
    o1[q] = t01;
    o2[q] = (d02[q] - d12[q]) - t01;
    o3[q] = d10[q] - d11[q];
    o4[q] = d11[q];
    o5[q] = d12[q] - d11[q];
    o6[q] = (d20[q] - d10[q]) - t21;
    o7[q] = t21;
    o8[q] = (d22[q] - d12[q]) - t21;
  }
}

void winograd_input_rows(const float* __restrict x, const Geom& g, int64_t c, int64_t plane, float* __restrict u,
                         int64_t r0, int64_t r1) {
  const int64_t th = (g.ho + 1) / 2;
  const int64_t tw = (g.wo + 1) / 2;
  const std::vector<float> zeros(static_cast<size_t>(c), 0.0f);
  for (int64_t r = r0; r < r1; ++r) {
    const int64_t b = r / th;
    const int64_t ty = r % th;
    for (int64_t tx = 0; tx < tw; ++tx) {
      float* __restrict out = u + (r * tw + tx) * 4 * c;
      for (int64_t dy = 0; dy < 2; ++dy) {
        for (int64_t dx = 0; dx < 2; ++dx) {
          const float* d[3][3];
          for (int64_t i = 0; i < 3; ++i) {
            for (int64_t j = 0; j < 3; ++j) {
              const int64_t ih = 4 * ty + 2 * i + dy - g.top;
              const int64_t iw = 4 * tx + 2 * j + dx - g.left;
              d[i][j] = ih >= 0 && ih < g.h && iw >= 0 && iw < g.w ? x + ((b * g.h + ih) * g.w + iw) * c
                                                                    : zeros.data();
            }
          }
          winograd_input_channels(d, out + (dy * 2 + dx) * c, plane, c);
        }
      }
    }
  }
}

// The output transform of the products m ([9, B·T, F], `plane` floats apart) into y [B, Ho, Wo, F], then the bias
// and the activation; rows r = (b, ty) of tiles.
void winograd_output_rows(const float* __restrict m, const Geom& g, int64_t f, int64_t plane,
                          const float* __restrict bias, int act, float* __restrict y, int64_t r0, int64_t r1) {
  const int64_t th = (g.ho + 1) / 2;
  const int64_t tw = (g.wo + 1) / 2;
  for (int64_t r = r0; r < r1; ++r) {
    const int64_t b = r / th;
    const int64_t ty = r % th;
    for (int64_t tx = 0; tx < tw; ++tx) {
      const float* p = m + (r * tw + tx) * f;
      for (int64_t a = 0; a < 2; ++a) {
        const int64_t oh = 2 * ty + a;
        if (oh >= g.ho) break;
        for (int64_t e = 0; e < 2; ++e) {
          const int64_t ow = 2 * tx + e;
          if (ow >= g.wo) break;
          // planes (3·(a + i) + e + j) for i, j in {0, 1}
          const float* __restrict p0 = p + (3 * a + e) * plane;
          const float* __restrict p1 = p0 + plane;
          const float* __restrict p3 = p0 + 3 * plane;
          const float* __restrict p4 = p0 + 4 * plane;
          float* __restrict dst = y + ((b * g.ho + oh) * g.wo + ow) * f;
#pragma GCC ivdep
          for (int64_t q = 0; q < f; ++q) dst[q] = (p0[q] + p1[q]) + (p3[q] + p4[q]);
          bias_act_rows(dst, bias, f, act, 0, 1);
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The kernel gradient of a stride-1 2-D convolution with zero padding, channels last, float32:
//
//   dw[a, b, c, f] = Σ_{n, h, w} x[n, h + a − pad_top, w + b − pad_left, c] · dy[n, h, w, f]
//
// (x outside its bounds is zero), for x [B, H, W, C], dy [B, Ho, Wo, F], dw [kh, kw, C, F]. A matrix product with a
// long reduction (every output pixel) and a small result: register tiles of MR input channels × NV vectors of
// output channels accumulate over a few output rows at a time, so that the rows of x and dy they read stay in the
// L1 cache, and the zero padding is skipped rather than materialised. The tiles fit the register file: MR·NV
// accumulators + NV loaded vectors + 1 broadcast, at most 32 with AVX-512 (4×4 of 16 floats), 16 with AVX2
// (6×2 of 8 floats) and SSE (6×2 of 4).

constexpr int W = ODDBALL_VEC;  // floats per vector
typedef float vec __attribute__((vector_size(W * 4)));
typedef float vecu __attribute__((vector_size(W * 4), aligned(4)));

// acc[c0 + i, f0 + W·v + l] of tap (a, b) += Σ over output rows [h0, h1) of image n; acc points at tap (a, b).
template <int MR, int NV>
inline __attribute__((always_inline)) void FilterGradTile(const float* __restrict x, const float* __restrict dy,
                                                          const ConvGeom& g, int64_t a, int64_t b, int64_t h0,
                                                          int64_t h1, int64_t c0, int64_t f0,
                                                          float* __restrict acc) {
  vec s[MR][NV];
  for (int i = 0; i < MR; ++i) {
    for (int v = 0; v < NV; ++v) s[i][v] = *reinterpret_cast<const vecu*>(acc + (c0 + i) * g.f + f0 + W * v);
  }
  const int64_t lo = std::max<int64_t>(0, g.pad_left - b);
  const int64_t hi = std::min<int64_t>(g.wo, g.w + g.pad_left - b);
  for (int64_t h = h0; h < h1; ++h) {
    const int64_t ih = h + a - g.pad_top;
    if (ih < 0 || ih >= g.h || lo >= hi) continue;
    const float* xr = x + (ih * g.w + lo + b - g.pad_left) * g.c + c0;
    const float* dr = dy + (h * g.wo + lo) * g.f + f0;
    for (int64_t w = lo; w < hi; ++w, xr += g.c, dr += g.f) {
      vec d[NV];
      for (int v = 0; v < NV; ++v) d[v] = *reinterpret_cast<const vecu*>(dr + W * v);
      for (int i = 0; i < MR; ++i) {
        const float xi = xr[i];
        for (int v = 0; v < NV; ++v) s[i][v] += xi * d[v];
      }
    }
  }
  for (int i = 0; i < MR; ++i) {
    for (int v = 0; v < NV; ++v) *reinterpret_cast<vecu*>(acc + (c0 + i) * g.f + f0 + W * v) = s[i][v];
  }
}

// The output channels [f0, f1) (fewer than W) of the same, one at a time.
void FilterGradTail(const float* __restrict x, const float* __restrict dy, const ConvGeom& g, int64_t a, int64_t b,
                    int64_t h0, int64_t h1, int64_t f0, float* __restrict acc) {
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

// Channels [0, c) of tap (a, b) in tiles of MR, the rest in tiles of 4, 2 and 1; output channels [f0, f0 + W·NV).
template <int MR, int NV>
inline __attribute__((always_inline)) void FilterGradChannels(const float* x, const float* dy, const ConvGeom& g,
                                                              int64_t a, int64_t b, int64_t h0, int64_t h1,
                                                              int64_t f0, float* acc) {
  int64_t c0 = 0;
  for (; c0 + MR <= g.c; c0 += MR) FilterGradTile<MR, NV>(x, dy, g, a, b, h0, h1, c0, f0, acc);
  if (MR > 4 && c0 + 4 <= g.c) {
    FilterGradTile<4, NV>(x, dy, g, a, b, h0, h1, c0, f0, acc);
    c0 += 4;
  }
  if (MR > 2 && c0 + 2 <= g.c) {
    FilterGradTile<2, NV>(x, dy, g, a, b, h0, h1, c0, f0, acc);
    c0 += 2;
  }
  for (; c0 < g.c; ++c0) FilterGradTile<1, NV>(x, dy, g, a, b, h0, h1, c0, f0, acc);
}

void conv_filter_grad(const float* x, const float* dy, const ConvGeom& g, int64_t n0, int64_t n1, float* acc) {
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
#if ODDBALL_VEC == 16
          for (; f0 + 4 * W <= g.f; f0 += 4 * W) FilterGradChannels<4, 4>(xn, dn, g, a, b, h0, h1, f0, t);
          for (; f0 + 2 * W <= g.f; f0 += 2 * W) FilterGradChannels<8, 2>(xn, dn, g, a, b, h0, h1, f0, t);
#else
          for (; f0 + 2 * W <= g.f; f0 += 2 * W) FilterGradChannels<6, 2>(xn, dn, g, a, b, h0, h1, f0, t);
#endif
          for (; f0 + W <= g.f; f0 += W) FilterGradChannels<8, 1>(xn, dn, g, a, b, h0, h1, f0, t);
          if (f0 < g.f) FilterGradTail(xn, dn, g, a, b, h0, h1, f0, t);
        }
      }
    }
  }
}

}  // namespace

#define ODDBALL_STR2(x) #x
#define ODDBALL_STR(x) ODDBALL_STR2(x)

extern const Kernels kKernels = {
    ODDBALL_STR(ODDBALL_ISA_NS) + 4,  // "isa_avx2" -> "avx2"
    concat_elu_rows,
    bias_sum_concat_elu_rows,
    concat_elu_grad_rows,
    scaled_concat_elu_grad_rows,
    gate_rows,
    gate_grad_rows,
    patches_grad_rows,
    bias_act_rows,
    conv_filter_grad,
    winograd_input_rows,
    winograd_output_rows,
};

}  // namespace ODDBALL_ISA_NS
}  // namespace oddball
