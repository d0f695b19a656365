// Oddball's fused TensorFlow CPU kernels for PixelCNN++ (io.oddball.tf.ops.FusedOps loads this library with
// TensorFlow.loadLibrary). Each op does in one pass over memory what TensorFlow's stock graph does in three to five
// ops (Neg, ConcatV2, Elu; BiasAdd, Add; Split, Sigmoid, Mul, Add), which is where half of a PixelCNN++ step went.
// float32 only, channels last, contiguous rows of C channels:
//
//   OddballConcatElu(xs: N tensors [..., C_i])          -> [..., 2ΣC_i]  concat(elu(x), elu(−x)) of x = concat(xs)
//                                                       (attr channels = the C_i, for the gradient)
//   OddballBiasSumConcatElu(xs: N × [..., C], bias [C], scale: 0 or 1 × [B, 2C])
//                                                       -> [..., 2C]     the same of z = Σ xs + bias, times the
//                                                                        dropout scales of each instance if given
//   OddballConcatEluGrad(y [..., 2C], dy [..., 2C], scale: 0 or 1)
//                                                       -> [..., C]      gradient w.r.t. the pre-activation
//   OddballGate(og [..., C], y [..., 2C], bias [2C])    -> [..., C]      og + (y₁ + b₁) · σ(y₂ + b₂)
//   OddballGateGrad(y [..., 2C], bias [2C], dz [..., C]) -> [..., 2C]    gradient w.r.t. y
//   OddballConvFilterGrad(x [B, H, W, C], w [kh, kw, C, F], dy [B, Ho, Wo, F], attr pads = top, bottom, left, right)
//                                                       -> [kh, kw, C, F] kernel gradient of a stride-1 convolution
//                                                                        of x zero-padded by pads (w: its shape only)
//   OddballPatches(x [B, H, W, C], attr geom = k, s, top, left, Ho, Wo, H, W)
//                                                       -> [B, Ho, Wo, k·k·C] each output pixel's k × k patch of a
//                                                                        stride-s convolution, channels (ky, kx, c),
//                                                                        zero outside x (im2col)
//   OddballPatchesGrad(dp [B, Ho, Wo, k·k·C], attr geom as above)
//                                                       -> [B, H, W, C]  its gradient: each pixel the sum of the
//                                                                        patch entries that copied it (col2im)
//   OddballPatchesGradBiasAct(dp, bias [C], attr geom, attr act = 0 linear, 1 relu, 2 sigmoid, 3 elu)
//                                                       -> [B, H, W, C]  act(col2im(dp) + bias): the end of a
//                                                                        transposed convolution in one pass
//
//   OddballWinogradInput(x [B, H, W, C], attr geom as above, k = 4, s = 2)
//                                                       -> [9, B·T, 4C]  Winograd F(2×2, 2×2) input transform of
//                                                                        each 2 × 2 output tile's 3 × 3 blocks of
//                                                                        2 × 2 pixels (T tiles per image)
//   OddballWinogradOutputBiasAct(m [9, B·T, F], bias [F], attr geom, attr act)
//                                                       -> [B, Ho, Wo, F] act(output transform of m + bias): with
//                                                                        a batched product of the transformed
//                                                                        kernel, a 4×4 stride-2 convolution
//
//   OddballOpsIsa()                                     -> int32 scalar  512, 256 or 128: the build of the loops in use
//
// Built by build.sh with g++ only (no TensorFlow headers: tf_c_kernels.h declares the C API it uses); the hot
// loops (kernels.cc) are compiled for AVX-512, AVX2 + FMA and baseline x86-64, and one build is picked per process
// (oddball::Kernels::Get).
#include <algorithm>
#include <atomic>
#include <cmath>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "kernels.h"
#include "tf_c_kernels.h"

namespace oddball {

const Kernels& Kernels::Get() {
  static const Kernels* k = [] {
    __builtin_cpu_init();
    const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    const bool avx512 = avx2 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
                        __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq");
    const char* env = std::getenv("ODDBALL_OPS_ISA");
    const std::string cap = env == nullptr ? "" : env;
    if (avx512 && (cap.empty() || cap == "avx512")) return &isa_avx512::kKernels;
    if (avx2 && cap != "baseline") return &isa_avx2::kKernels;
    return &isa_baseline::kKernels;
  }();
  return *k;
}

}  // namespace oddball

namespace {

using oddball::Geom;

const oddball::Kernels& K() { return oddball::Kernels::Get(); }

// ---------------------------------------------------------------------------------------------------------------
// A small fork-join pool: the calling TensorFlow thread runs the first part, the workers the rest. One job at a
// time; a kernel that finds the pool busy (TensorFlow runs independent ops concurrently) runs on its own thread.
class Pool {
 public:
  explicit Pool(int threads) {
    for (int i = 1; i < threads; ++i) {
      workers_.emplace_back([this, i] { Work(i); });
    }
  }

  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  int size() const { return static_cast<int>(workers_.size()) + 1; }

  template <typename F>
  void For(int64_t rows, int64_t row_cost, F&& f) {
    const int64_t min_rows = std::max<int64_t>(1, (1 << 15) / std::max<int64_t>(1, row_cost));
    int parts = static_cast<int>(std::min<int64_t>(size(), rows / min_rows));
    std::unique_lock<std::mutex> busy(submit_, std::try_to_lock);
    if (parts <= 1 || !busy.owns_lock()) {
      f(0, rows);
      return;
    }
    auto call = [&f, rows, parts](int part) {
      const int64_t r0 = rows * part / parts;
      const int64_t r1 = rows * (part + 1) / parts;
      f(r0, r1);
    };
    std::function<void(int)> job = call;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      job_ = &job;
      parts_ = parts;
      remaining_.store(parts - 1, std::memory_order_relaxed);
      ++generation_;
    }
    wake_.notify_all();
    call(0);
    for (int spins = 0; remaining_.load(std::memory_order_acquire) != 0; ++spins) {
      if (spins > 2000) {
        std::this_thread::yield();
      }
    }
  }

 private:
  void Work(int index) {
    uint64_t seen = 0;
    for (;;) {
      std::function<void(int)>* job;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return generation_ != seen; });
        seen = generation_;
        if (index >= parts_) {
          continue;
        }
        job = job_;
      }
      (*job)(index);
      remaining_.fetch_sub(1, std::memory_order_release);
    }
  }

  std::mutex submit_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<std::thread> workers_;
  std::function<void(int)>* job_ = nullptr;
  int parts_ = 0;
  uint64_t generation_ = 0;
  std::atomic<int> remaining_{0};
};

Pool& pool() {
  // ODDBALL_TF_OPS_THREADS overrides the number of threads (default: the cores this process may use).
  static Pool* p = [] {
    int n = static_cast<int>(std::thread::hardware_concurrency());
    if (const char* env = std::getenv("ODDBALL_TF_OPS_THREADS")) {
      n = std::atoi(env);
    }
    // Intentionally leaked: the workers live as long as the process, like TensorFlow's own thread pools.
    return new Pool(std::max(1, std::min(n, 64)));
  }();
  return *p;
}

// ---------------------------------------------------------------------------------------------------------------
// Kernel plumbing.

struct Status {
  TF_Status* s = TF_NewStatus();
  ~Status() { TF_DeleteStatus(s); }
  bool ok() const { return TF_GetCode(s) == TF_OK; }
};

// The inputs of one kernel call, deleted at the end of the call.
struct Inputs {
  std::vector<TF_Tensor*> t;
  ~Inputs() {
    for (TF_Tensor* x : t) {
      if (x != nullptr) TF_DeleteTensor(x);
    }
  }
};

void Fail(TF_OpKernelContext* ctx, const std::string& op, const std::string& message) {
  Status st;
  TF_SetStatus(st.s, TF_INVALID_ARGUMENT, (op + ": " + message).c_str());
  TF_OpKernelContext_Failure(ctx, st.s);
}

bool GetAll(TF_OpKernelContext* ctx, Inputs* in) {
  const int n = TF_NumInputs(ctx);
  in->t.assign(n, nullptr);
  for (int i = 0; i < n; ++i) {
    Status st;
    TF_GetInput(ctx, i, &in->t[i], st.s);
    if (!st.ok()) {
      TF_OpKernelContext_Failure(ctx, st.s);
      return false;
    }
  }
  return true;
}

std::string ShapeOf(const TF_Tensor* t) {
  std::string s = "[";
  for (int d = 0; d < TF_NumDims(t); ++d) {
    s += (d ? ", " : "") + std::to_string(TF_Dim(t, d));
  }
  return s + "]";
}

int64_t LastDim(const TF_Tensor* t) { return TF_NumDims(t) == 0 ? 1 : TF_Dim(t, TF_NumDims(t) - 1); }

int64_t Rows(const TF_Tensor* t) {
  const int64_t c = LastDim(t);
  return c == 0 ? 0 : TF_TensorElementCount(t) / c;
}

// Same leading dimensions (all but the last)?
bool SameRows(const TF_Tensor* a, const TF_Tensor* b) {
  if (TF_NumDims(a) != TF_NumDims(b) || TF_NumDims(a) == 0) return false;
  for (int d = 0; d + 1 < TF_NumDims(a); ++d) {
    if (TF_Dim(a, d) != TF_Dim(b, d)) return false;
  }
  return true;
}

TF_Tensor* Allocate(TF_OpKernelContext* ctx, const TF_Tensor* like, int64_t last) {
  std::vector<int64_t> dims(TF_NumDims(like));
  int64_t n = 1;
  for (size_t d = 0; d < dims.size(); ++d) {
    dims[d] = d + 1 == dims.size() ? last : TF_Dim(like, static_cast<int>(d));
    n *= dims[d];
  }
  Status st;
  TF_Tensor* out = TF_AllocateOutput(ctx, 0, TF_FLOAT, dims.data(), static_cast<int>(dims.size()),
                                     static_cast<size_t>(n) * sizeof(float), st.s);
  if (!st.ok()) {
    TF_OpKernelContext_Failure(ctx, st.s);
    return nullptr;
  }
  return out;
}

const float* F(const TF_Tensor* t) { return static_cast<const float*>(TF_TensorData(t)); }

void ConcatEluCompute(void*, TF_OpKernelContext* ctx) {
  static const char* kOp = "OddballConcatElu";
  Inputs in;
  if (!GetAll(ctx, &in)) return;
  const int n = static_cast<int>(in.t.size());
  std::vector<const float*> xs(n);
  std::vector<int64_t> cs(n);
  int64_t ctot = 0;
  for (int i = 0; i < n; ++i) {
    if (!SameRows(in.t[0], in.t[i])) {
      Fail(ctx, kOp, "input " + std::to_string(i) + " has shape " + ShapeOf(in.t[i]) +
                         ", expected the leading dimensions of input 0, " + ShapeOf(in.t[0]));
      return;
    }
    xs[i] = F(in.t[i]);
    cs[i] = LastDim(in.t[i]);
    ctot += cs[i];
  }
  TF_Tensor* out = Allocate(ctx, in.t[0], 2 * ctot);
  if (out == nullptr) return;
  float* y = static_cast<float*>(TF_TensorData(out));
  pool().For(Rows(in.t[0]), 2 * ctot, [&](int64_t r0, int64_t r1) {
    K().concat_elu_rows(xs.data(), cs.data(), n, ctot, y, r0, r1);
  });
  TF_DeleteTensor(out);
}

// The index range of input list `name` (false, and the kernel failed, if TensorFlow does not know it).
bool Range(TF_OpKernelContext* ctx, const char* name, int* start, int* stop) {
  Status st;
  TF_InputRange_Args args;
  args.struct_size = sizeof args;
  args.priv = nullptr;
  args.status = st.s;
  TF_InputRange(ctx, name, &args);
  if (!st.ok()) {
    TF_OpKernelContext_Failure(ctx, st.s);
    return false;
  }
  *start = args.start;
  *stop = args.stop;
  return true;
}

// The optional dropout scales (input list `scale`, 0 or 1 tensors): [B, ..., 2C] holding B · 2C values, B the first
// dimension of `like`; *scale = nullptr when absent. False, and the kernel failed, if the shape does not fit.
bool Scales(TF_OpKernelContext* ctx, const char* op, const Inputs& in, const TF_Tensor* like, int64_t c2,
            const float** scale, int64_t* rows_per_b) {
  int s0 = 0, s1 = 0;
  if (!Range(ctx, "scale", &s0, &s1)) return false;
  *scale = nullptr;
  *rows_per_b = 1;
  if (s1 == s0) return true;
  const TF_Tensor* s = in.t[s0];
  const int64_t b = TF_NumDims(like) > 0 ? TF_Dim(like, 0) : 0;
  if (TF_NumDims(s) < 1 || TF_Dim(s, 0) != b || TF_TensorElementCount(s) != b * c2 || b == 0) {
    Fail(ctx, op, "scale has shape " + ShapeOf(s) + ", expected [" + std::to_string(b) + ", ..., " +
                      std::to_string(c2) + "] (one value per instance and output channel)");
    return false;
  }
  *scale = F(s);
  *rows_per_b = Rows(like) / b;
  return true;
}

void BiasSumConcatEluCompute(void*, TF_OpKernelContext* ctx) {
  static const char* kOp = "OddballBiasSumConcatElu";
  Inputs in;
  if (!GetAll(ctx, &in)) return;
  int x0 = 0, x1 = 0;
  if (!Range(ctx, "xs", &x0, &x1)) return;
  const int n = x1 - x0;
  const TF_Tensor* bias = in.t[x1];
  const int64_t c = LastDim(in.t[0]);
  for (int i = 1; i < n; ++i) {
    if (!SameRows(in.t[0], in.t[i]) || LastDim(in.t[i]) != c) {
      Fail(ctx, kOp, "input " + std::to_string(i) + " has shape " + ShapeOf(in.t[i]) +
                         ", expected the shape of input 0, " + ShapeOf(in.t[0]));
      return;
    }
  }
  if (TF_NumDims(bias) != 1 || TF_Dim(bias, 0) != c) {
    Fail(ctx, kOp, "bias has shape " + ShapeOf(bias) + ", expected [" + std::to_string(c) + "]");
    return;
  }
  const float* scale = nullptr;
  int64_t rows_per_b = 1;
  if (!Scales(ctx, kOp, in, in.t[0], 2 * c, &scale, &rows_per_b)) return;
  std::vector<const float*> xs(n);
  for (int i = 0; i < n; ++i) xs[i] = F(in.t[i]);
  TF_Tensor* out = Allocate(ctx, in.t[0], 2 * c);
  if (out == nullptr) return;
  float* y = static_cast<float*>(TF_TensorData(out));
  const float* b = F(bias);
  pool().For(Rows(in.t[0]), (n + 2) * c, [&](int64_t r0, int64_t r1) {
    K().bias_sum_concat_elu_rows(xs.data(), n, b, c, scale, rows_per_b, y, r0, r1);
  });
  TF_DeleteTensor(out);
}

void ConcatEluGradCompute(void*, TF_OpKernelContext* ctx) {
  static const char* kOp = "OddballConcatEluGrad";
  Inputs in;
  if (!GetAll(ctx, &in)) return;
  const TF_Tensor* y = in.t[0];
  const TF_Tensor* dy = in.t[1];
  const int64_t c2 = LastDim(y);
  if (c2 % 2 != 0 || !SameRows(y, dy) || LastDim(dy) != c2) {
    Fail(ctx, kOp, "expected y and dy of one shape [..., 2C], found " + ShapeOf(y) + " and " + ShapeOf(dy));
    return;
  }
  const float* scale = nullptr;
  int64_t rows_per_b = 1;
  if (!Scales(ctx, kOp, in, y, c2, &scale, &rows_per_b)) return;
  const int64_t c = c2 / 2;
  TF_Tensor* out = Allocate(ctx, y, c);
  if (out == nullptr) return;
  float* dx = static_cast<float*>(TF_TensorData(out));
  const float* yp = F(y);
  const float* dp = F(dy);
  pool().For(Rows(y), 5 * c, [&](int64_t r0, int64_t r1) {
    if (scale == nullptr) {
      K().concat_elu_grad_rows(yp, dp, c, dx, r0, r1);
    } else {
      K().scaled_concat_elu_grad_rows(yp, dp, scale, rows_per_b, c, dx, r0, r1);
    }
  });
  TF_DeleteTensor(out);
}

// The gate's shapes: `half` [..., C], `y` [..., 2C] with the same leading dimensions, `bias` [2C].
bool GateShapes(const TF_Tensor* half, const TF_Tensor* y, const TF_Tensor* bias) {
  const int64_t c = LastDim(half);
  return SameRows(half, y) && LastDim(y) == 2 * c && TF_NumDims(bias) == 1 && TF_Dim(bias, 0) == 2 * c;
}

void GateCompute(void*, TF_OpKernelContext* ctx) {
  static const char* kOp = "OddballGate";
  Inputs in;
  if (!GetAll(ctx, &in)) return;
  const TF_Tensor* og = in.t[0];
  const TF_Tensor* y = in.t[1];
  const TF_Tensor* bias = in.t[2];
  const int64_t c = LastDim(og);
  if (!GateShapes(og, y, bias)) {
    Fail(ctx, kOp, "expected og [..., C], y [..., 2C] and bias [2C], found " + ShapeOf(og) + ", " + ShapeOf(y) +
                       " and " + ShapeOf(bias));
    return;
  }
  TF_Tensor* out = Allocate(ctx, og, c);
  if (out == nullptr) return;
  float* z = static_cast<float*>(TF_TensorData(out));
  const float* o = F(og);
  const float* yp = F(y);
  const float* b = F(bias);
  pool().For(Rows(og), 4 * c, [&](int64_t r0, int64_t r1) { K().gate_rows(o, yp, b, c, z, r0, r1); });
  TF_DeleteTensor(out);
}

void GateGradCompute(void*, TF_OpKernelContext* ctx) {
  static const char* kOp = "OddballGateGrad";
  Inputs in;
  if (!GetAll(ctx, &in)) return;
  const TF_Tensor* y = in.t[0];
  const TF_Tensor* bias = in.t[1];
  const TF_Tensor* dz = in.t[2];
  const int64_t c = LastDim(dz);
  if (!GateShapes(dz, y, bias)) {
    Fail(ctx, kOp, "expected y [..., 2C], bias [2C] and dz [..., C], found " + ShapeOf(y) + ", " + ShapeOf(bias) +
                       " and " + ShapeOf(dz));
    return;
  }
  TF_Tensor* out = Allocate(ctx, y, 2 * c);
  if (out == nullptr) return;
  float* dy = static_cast<float*>(TF_TensorData(out));
  const float* yp = F(y);
  const float* b = F(bias);
  const float* d = F(dz);
  pool().For(Rows(dz), 5 * c, [&](int64_t r0, int64_t r1) { K().gate_grad_rows(yp, b, d, c, dy, r0, r1); });
  TF_DeleteTensor(out);
}

// The kernel gradient of a stride-1 convolution (conv_filter_grad.h): the batch in a fixed number of chunks, each
// summed into its own accumulator by whichever pool thread takes it, the chunks then added in order — so the result
// does not depend on how many threads were free (a fit resumed from a checkpoint repeats the same steps exactly).
struct Pads {
  int64_t v[4] = {0, 0, 0, 0};  // top, bottom, left, right
};

// Reads the int-list attribute `name` of op `op`, exactly n values (`meaning` names them), into v; false with
// st set if it has another count or cannot be read.
bool GetInts(TF_OpKernelConstruction* ctx, const std::string& op, const char* name, int n, const char* meaning,
             int64_t* v, Status* st) {
  int32_t size = 0, total = 0;
  TF_OpKernelConstruction_GetAttrSize(ctx, name, &size, &total, st->s);
  if (st->ok() && size != n) {
    TF_SetStatus(st->s, TF_INVALID_ARGUMENT, (op + ": attr " + name + " has " + std::to_string(size) +
                                              " values, expected " + std::to_string(n) + " (" + meaning + ")")
                                                 .c_str());
  } else if (st->ok()) {
    TF_OpKernelConstruction_GetAttrInt64List(ctx, name, v, n, st->s);
  }
  return st->ok();
}

void* ConvFilterGradCreate(TF_OpKernelConstruction* ctx) {
  Pads* p = new Pads;
  Status st;
  if (!GetInts(ctx, "OddballConvFilterGrad", "pads", 4, "top, bottom, left, right", p->v, &st)) {
    TF_OpKernelConstruction_Failure(ctx, st.s);
  }
  return p;
}

void ConvFilterGradDelete(void* p) { delete static_cast<Pads*>(p); }

void ConvFilterGradCompute(void* attrs, TF_OpKernelContext* ctx) {
  static const char* kOp = "OddballConvFilterGrad";
  const int64_t* pad = static_cast<Pads*>(attrs)->v;
  Inputs in;
  if (!GetAll(ctx, &in)) return;
  const TF_Tensor* x = in.t[0];
  const TF_Tensor* w = in.t[1];
  const TF_Tensor* dy = in.t[2];
  oddball::ConvGeom g{};
  bool ok = TF_NumDims(x) == 4 && TF_NumDims(w) == 4 && TF_NumDims(dy) == 4;
  if (ok) {
    g = {TF_Dim(x, 1), TF_Dim(x, 2), TF_Dim(x, 3), TF_Dim(dy, 1), TF_Dim(dy, 2), TF_Dim(dy, 3), TF_Dim(w, 0),
         TF_Dim(w, 1), pad[0], pad[2]};
    ok = TF_Dim(dy, 0) == TF_Dim(x, 0) && TF_Dim(w, 2) == g.c && TF_Dim(w, 3) == g.f &&
         g.ho == g.h + pad[0] + pad[1] - g.kh + 1 && g.wo == g.w + pad[2] + pad[3] - g.kw + 1 &&
         std::min({pad[0], pad[1], pad[2], pad[3]}) >= 0;
  }
  if (!ok) {
    Fail(ctx, kOp, "x " + ShapeOf(x) + ", kernel " + ShapeOf(w) + " and dy " + ShapeOf(dy) + " with pads [" +
                       std::to_string(pad[0]) + ", " + std::to_string(pad[1]) + ", " + std::to_string(pad[2]) +
                       ", " + std::to_string(pad[3]) + "] do not fit a stride-1 convolution " +
                       "(x [B, H, W, C], kernel [kh, kw, C, F], dy [B, H + top + bottom - kh + 1, " +
                       "W + left + right - kw + 1, F])");
    return;
  }
  TF_Tensor* out = Allocate(ctx, w, g.f);
  if (out == nullptr) return;
  float* dw = static_cast<float*>(TF_TensorData(out));
  const int64_t size = TF_TensorElementCount(w);
  std::fill(dw, dw + size, 0.0f);
  const float* xp = F(x);
  const float* dp = F(dy);
  const int64_t batch = TF_Dim(x, 0);
  const int64_t chunks = std::min<int64_t>(batch, 4);
  std::vector<float> acc(chunks * size, 0.0f);
  pool().For(chunks, g.ho * g.wo * size, [&](int64_t k0, int64_t k1) {
    for (int64_t k = k0; k < k1; ++k) {
      K().conv_filter_grad(xp, dp, g, batch * k / chunks, batch * (k + 1) / chunks, acc.data() + k * size);
    }
  });
  for (int64_t k = 0; k < chunks; ++k) {
    const float* a = acc.data() + k * size;
    for (int64_t i = 0; i < size; ++i) dw[i] += a[i];
  }
  TF_DeleteTensor(out);
}

// ---------------------------------------------------------------------------------------------------------------
// Patches of a strided convolution (im2col) and their gradient (col2im), for the autoencoders (training and
// float32 inference graphs): one pass each where the stock graph pads, cuts into blocks, slices and concatenates
// (and back). The gradient gathers, per input pixel, the patch entries that copied it, in a fixed order: no atomics,
// the same sums on any number of threads.
// Reads the attribute geom of op `op` into g; false with st set if it is missing, of another count or out of range.
bool GetGeom(TF_OpKernelConstruction* ctx, const std::string& op, Geom* g, Status* st) {
  int64_t v[8];
  if (!GetInts(ctx, op, "geom", 8, "k, s, top, left, Ho, Wo, H, W", v, st)) return false;
  *g = {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]};
  if (g->k < 1 || g->s < 1 || g->ho < 1 || g->wo < 1 || g->h < 1 || g->w < 1) {
    TF_SetStatus(st->s, TF_INVALID_ARGUMENT, (op + ": attr geom: expected k, s, Ho, Wo, H, W >= 1").c_str());
    return false;
  }
  return true;
}

void* GeomCreate(TF_OpKernelConstruction* ctx) {
  Geom* g = new Geom{};
  Status st;
  if (!GetGeom(ctx, "OddballPatches", g, &st)) TF_OpKernelConstruction_Failure(ctx, st.s);
  return g;
}

void GeomDelete(void* p) { delete static_cast<Geom*>(p); }

std::string GeomText(const Geom& g) {
  return "k " + std::to_string(g.k) + ", stride " + std::to_string(g.s) + ", top " + std::to_string(g.top) +
         ", left " + std::to_string(g.left) + ", output " + std::to_string(g.ho) + "×" + std::to_string(g.wo) +
         ", input " + std::to_string(g.h) + "×" + std::to_string(g.w);
}

// Rows r = (b, oh) of the patches.
void patches_rows(const float* x, const Geom& g, int64_t c, float* p, int64_t r0, int64_t r1) {
  const int64_t kc = g.k * c;
  for (int64_t r = r0; r < r1; ++r) {
    const int64_t b = r / g.ho;
    const int64_t oh = r % g.ho;
    float* out = p + r * g.wo * g.k * kc;
    for (int64_t ow = 0; ow < g.wo; ++ow) {
      const int64_t iw0 = ow * g.s - g.left;
      const int64_t lo = std::max<int64_t>(0, -iw0);          // first kx inside the input
      const int64_t hi = std::min<int64_t>(g.k, g.w - iw0);   // one past the last
      for (int64_t ky = 0; ky < g.k; ++ky, out += kc) {
        const int64_t ih = oh * g.s + ky - g.top;
        if (ih < 0 || ih >= g.h || hi <= lo) {
          std::memset(out, 0, kc * sizeof(float));
          continue;
        }
        if (lo > 0) std::memset(out, 0, lo * c * sizeof(float));
        std::memcpy(out + lo * c, x + ((b * g.h + ih) * g.w + iw0 + lo) * c, (hi - lo) * c * sizeof(float));
        if (hi < g.k) std::memset(out + hi * c, 0, (g.k - hi) * c * sizeof(float));
      }
    }
  }
}


struct GeomAct {
  Geom g;
  int act = 0;
};

// Reads the attributes geom and act of op `op`; `check` (may be null) further tests the geometry.
GeomAct* NewGeomAct(TF_OpKernelConstruction* ctx, const char* op, bool (*check)(const Geom&, const std::string&,
                                                                                 Status*)) {
  GeomAct* a = new GeomAct{};
  Status st;
  int64_t v = -1;
  if (GetGeom(ctx, op, &a->g, &st) && (check == nullptr || check(a->g, op, &st)) &&
      GetInts(ctx, op, "act", 1, "the activation", &v, &st) && (v < 0 || v > 3)) {
    TF_SetStatus(st.s, TF_INVALID_ARGUMENT, (std::string(op) + ": attr act: expected [0, 1, 2 or 3] (linear, relu, "
                                             "sigmoid, elu), found " + std::to_string(v)).c_str());
  }
  if (!st.ok()) TF_OpKernelConstruction_Failure(ctx, st.s);
  a->act = static_cast<int>(v);
  return a;
}

void* GeomActCreate(TF_OpKernelConstruction* ctx) { return NewGeomAct(ctx, "OddballPatchesGradBiasAct", nullptr); }

// Input x of a geometry's op: [B, H, W, C] with the geometry's H and W; null (the op failed) otherwise.
const TF_Tensor* ImageInput(TF_OpKernelContext* ctx, const Inputs& in, const char* op, const Geom& g) {
  const TF_Tensor* x = in.t[0];
  if (TF_NumDims(x) != 4 || TF_Dim(x, 1) != g.h || TF_Dim(x, 2) != g.w) {
    Fail(ctx, op, "x " + ShapeOf(x) + " does not fit " + GeomText(g) + " (expected [B, H, W, C])");
    return nullptr;
  }
  return x;
}

// Output 0, float32 of `dims`; null (the op failed) if TensorFlow cannot allocate it.
TF_Tensor* AllocateFloats(TF_OpKernelContext* ctx, const int64_t* dims, int rank) {
  int64_t n = 1;
  for (int d = 0; d < rank; ++d) n *= dims[d];
  Status st;
  TF_Tensor* out = TF_AllocateOutput(ctx, 0, TF_FLOAT, dims, rank, static_cast<size_t>(n) * sizeof(float), st.s);
  if (!st.ok()) {
    TF_OpKernelContext_Failure(ctx, st.s);
    return nullptr;
  }
  return out;
}

void GeomActDelete(void* p) { delete static_cast<GeomAct*>(p); }

void PatchesCompute(void* attrs, TF_OpKernelContext* ctx) {
  static const char* kOp = "OddballPatches";
  const Geom& g = *static_cast<Geom*>(attrs);
  Inputs in;
  if (!GetAll(ctx, &in)) return;
  const TF_Tensor* x = ImageInput(ctx, in, kOp, g);
  if (x == nullptr) return;
  const int64_t batch = TF_Dim(x, 0);
  const int64_t c = TF_Dim(x, 3);
  const int64_t dims[4] = {batch, g.ho, g.wo, g.k * g.k * c};
  TF_Tensor* out = AllocateFloats(ctx, dims, 4);
  if (out == nullptr) return;
  const float* xp = F(x);
  float* p = static_cast<float*>(TF_TensorData(out));
  pool().For(batch * g.ho, g.wo * g.k * g.k * c, [&](int64_t r0, int64_t r1) { patches_rows(xp, g, c, p, r0, r1); });
  TF_DeleteTensor(out);
}

void PatchesGradAny(const Geom& g, int act, TF_OpKernelContext* ctx) {
  const char* kOp = act < 0 ? "OddballPatchesGrad" : "OddballPatchesGradBiasAct";
  Inputs in;
  if (!GetAll(ctx, &in)) return;
  const TF_Tensor* dp = in.t[0];
  if (TF_NumDims(dp) != 4 || TF_Dim(dp, 1) != g.ho || TF_Dim(dp, 2) != g.wo || TF_Dim(dp, 3) % (g.k * g.k) != 0) {
    Fail(ctx, kOp, "dp " + ShapeOf(dp) + " does not fit " + GeomText(g) + " (expected [B, Ho, Wo, k·k·C])");
    return;
  }
  const int64_t batch = TF_Dim(dp, 0);
  const int64_t c = TF_Dim(dp, 3) / (g.k * g.k);
  const int64_t dims[4] = {batch, g.h, g.w, c};
  TF_Tensor* out = AllocateFloats(ctx, dims, 4);
  if (out == nullptr) return;
  const float* d = F(dp);
  float* dx = static_cast<float*>(TF_TensorData(out));
  const float* bias = nullptr;
  if (act >= 0) {
    const TF_Tensor* b = in.t[1];
    if (TF_NumDims(b) != 1 || TF_Dim(b, 0) != c) {
      TF_DeleteTensor(out);
      Fail(ctx, kOp, "bias " + ShapeOf(b) + " does not fit " + std::to_string(c) + " channels");
      return;
    }
    bias = F(b);
  }
  pool().For(batch * g.h, g.w * g.k * c, [&](int64_t r0, int64_t r1) {
    K().patches_grad_rows(d, g, c, dx, r0, r1);
    if (bias != nullptr) K().bias_act_rows(dx, bias, c, act, r0 * g.w, r1 * g.w);
  });
  TF_DeleteTensor(out);
}

void PatchesGradCompute(void* attrs, TF_OpKernelContext* ctx) {
  PatchesGradAny(*static_cast<Geom*>(attrs), -1, ctx);
}

void PatchesGradBiasActCompute(void* attrs, TF_OpKernelContext* ctx) {
  const GeomAct& a = *static_cast<GeomAct*>(attrs);
  PatchesGradAny(a.g, a.act, ctx);
}

// ---------------------------------------------------------------------------------------------------------------
// Winograd F(2×2, 2×2) of a 4×4 stride-2 convolution, for float32 inference graphs (kernels.cc): the input
// transform, a batched matrix product of TensorFlow's (with the kernel transform, [9, 4C, F]), and the output
// transform with the bias and the activation. 9 products per 2 × 2 output tile instead of the patches' 16.

// Rejects a geometry other than a 4×4 kernel at stride 2 (the only one the transforms are written for).
bool WinogradGeom(const Geom& g, const std::string& op, Status* st) {
  if (g.k == 4 && g.s == 2) return true;
  TF_SetStatus(st->s, TF_INVALID_ARGUMENT, (op + ": attr geom: expected a 4×4 kernel at stride 2, found " +
                                            GeomText(g)).c_str());
  return false;
}

void* WinogradInputCreate(TF_OpKernelConstruction* ctx) {
  static const char* kOp = "OddballWinogradInput";
  Geom* g = new Geom{};
  Status st;
  if (!GetGeom(ctx, kOp, g, &st) || !WinogradGeom(*g, kOp, &st)) TF_OpKernelConstruction_Failure(ctx, st.s);
  return g;
}

void* WinogradOutputCreate(TF_OpKernelConstruction* ctx) {
  return NewGeomAct(ctx, "OddballWinogradOutputBiasAct", WinogradGeom);
}

int64_t Tiles(const Geom& g) { return ((g.ho + 1) / 2) * ((g.wo + 1) / 2); }

void WinogradInputCompute(void* attrs, TF_OpKernelContext* ctx) {
  static const char* kOp = "OddballWinogradInput";
  const Geom& g = *static_cast<Geom*>(attrs);
  Inputs in;
  if (!GetAll(ctx, &in)) return;
  const TF_Tensor* x = ImageInput(ctx, in, kOp, g);
  if (x == nullptr) return;
  const int64_t batch = TF_Dim(x, 0);
  const int64_t c = TF_Dim(x, 3);
  const int64_t rows = batch * Tiles(g);
  const int64_t dims[3] = {9, rows, 4 * c};
  TF_Tensor* out = AllocateFloats(ctx, dims, 3);
  if (out == nullptr) return;
  const float* xp = F(x);
  float* u = static_cast<float*>(TF_TensorData(out));
  const int64_t th = (g.ho + 1) / 2;
  const int64_t plane = rows * 4 * c;
  pool().For(batch * th, ((g.wo + 1) / 2) * 9 * 4 * c, [&](int64_t r0, int64_t r1) {
    K().winograd_input_rows(xp, g, c, plane, u, r0, r1);
  });
  TF_DeleteTensor(out);
}

void WinogradOutputCompute(void* attrs, TF_OpKernelContext* ctx) {
  static const char* kOp = "OddballWinogradOutputBiasAct";
  const GeomAct& a = *static_cast<GeomAct*>(attrs);
  const Geom& g = a.g;
  Inputs in;
  if (!GetAll(ctx, &in)) return;
  const TF_Tensor* m = in.t[0];
  const TF_Tensor* b = in.t[1];
  const int64_t tiles = Tiles(g);
  if (TF_NumDims(m) != 3 || TF_Dim(m, 0) != 9 || TF_Dim(m, 1) % tiles != 0) {
    Fail(ctx, kOp, "m " + ShapeOf(m) + " does not fit " + GeomText(g) + " (expected [9, B·" + std::to_string(tiles) +
                       ", F])");
    return;
  }
  const int64_t f = TF_Dim(m, 2);
  if (TF_NumDims(b) != 1 || TF_Dim(b, 0) != f) {
    Fail(ctx, kOp, "bias " + ShapeOf(b) + " does not fit " + std::to_string(f) + " channels");
    return;
  }
  const int64_t batch = TF_Dim(m, 1) / tiles;
  const int64_t dims[4] = {batch, g.ho, g.wo, f};
  TF_Tensor* out = AllocateFloats(ctx, dims, 4);
  if (out == nullptr) return;
  const float* mp = F(m);
  const float* bias = F(b);
  float* y = static_cast<float*>(TF_TensorData(out));
  const int64_t plane = TF_Dim(m, 1) * f;
  pool().For(batch * ((g.ho + 1) / 2), ((g.wo + 1) / 2) * 4 * 4 * f, [&](int64_t r0, int64_t r1) {
    K().winograd_output_rows(mp, g, f, plane, bias, a.act, y, r0, r1);
  });
  TF_DeleteTensor(out);
}

// ---------------------------------------------------------------------------------------------------------------
// Shape functions: the leading dimensions of input `like`, then a last dimension computed from the last dimensions
// of the first `count` inputs (all if count < 0; unknown shape if any of them is unknown).

template <typename Last>
void ShapeFn(TF_ShapeInferenceContext* ctx, TF_Status* status, int like, int count, Last last) {
  const int all = static_cast<int>(TF_ShapeInferenceContextNumInputs(ctx));
  const int n = count < 0 ? all : std::min(count, all);
  std::vector<int64_t> lasts(n, -1);
  TF_ShapeHandle* prefix = TF_NewShapeHandle();
  bool known = true;
  for (int i = 0; i < n && known; ++i) {
    TF_ShapeHandle* s = TF_NewShapeHandle();
    TF_ShapeInferenceContextGetInput(ctx, i, s, status);
    if (TF_GetCode(status) != TF_OK || !TF_ShapeInferenceContextRankKnown(ctx, s) ||
        TF_ShapeInferenceContextRank(ctx, s) < 1) {
      known = false;
    } else {
      TF_DimensionHandle* d = TF_NewDimensionHandle();
      TF_ShapeInferenceContextDim(ctx, s, -1, d);
      if (TF_DimensionHandleValueKnown(d)) {
        lasts[i] = TF_DimensionHandleValue(d);
      } else {
        known = false;
      }
      TF_DeleteDimensionHandle(d);
      if (i == like) {
        TF_ShapeInferenceContextSubshape(ctx, s, 0, -1, prefix, status);
        known = known && TF_GetCode(status) == TF_OK;
      }
    }
    TF_DeleteShapeHandle(s);
  }
  TF_SetStatus(status, TF_OK, "");
  if (known) {
    TF_ShapeHandle* tail = TF_ShapeInferenceContextVectorFromSize(ctx, static_cast<size_t>(last(lasts)));
    TF_ShapeHandle* out = TF_NewShapeHandle();
    TF_ShapeInferenceContextConcatenateShapes(ctx, prefix, tail, out, status);
    if (TF_GetCode(status) == TF_OK) TF_ShapeInferenceContextSetOutput(ctx, 0, out, status);
    TF_DeleteShapeHandle(out);
    TF_DeleteShapeHandle(tail);
  } else {
    TF_ShapeInferenceContextSetUnknownShape(ctx, status);
  }
  TF_DeleteShapeHandle(prefix);
}

void ConcatEluShape(TF_ShapeInferenceContext* ctx, TF_Status* status) {
  ShapeFn(ctx, status, 0, -1, [](const std::vector<int64_t>& l) {
    int64_t s = 0;
    for (int64_t v : l) s += v;
    return 2 * s;
  });
}

void BiasSumConcatEluShape(TF_ShapeInferenceContext* ctx, TF_Status* status) {
  ShapeFn(ctx, status, 0, 1, [](const std::vector<int64_t>& l) { return 2 * l[0]; });
}

void HalfOfFirstShape(TF_ShapeInferenceContext* ctx, TF_Status* status) {
  ShapeFn(ctx, status, 0, 1, [](const std::vector<int64_t>& l) { return l[0] / 2; });
}

void FirstShape(TF_ShapeInferenceContext* ctx, TF_Status* status) {
  ShapeFn(ctx, status, 0, 1, [](const std::vector<int64_t>& l) { return l[0]; });
}

void SecondShape(TF_ShapeInferenceContext* ctx, TF_Status* status) {
  TF_ShapeHandle* s = TF_NewShapeHandle();
  TF_ShapeInferenceContextGetInput(ctx, 1, s, status);
  if (TF_GetCode(status) == TF_OK) TF_ShapeInferenceContextSetOutput(ctx, 0, s, status);
  TF_DeleteShapeHandle(s);
}

void UnknownShape(TF_ShapeInferenceContext* ctx, TF_Status* status) {
  TF_ShapeInferenceContextSetUnknownShape(ctx, status);
}

// OddballOpsIsa() -> int32 scalar: the vector width in bits of the loops this process runs (512 AVX-512, 256 AVX2
// + FMA, 128 baseline x86-64), so that Java can tell which build of the loops it measured.
void OpsIsaCompute(void*, TF_OpKernelContext* ctx) {
  const std::string isa = K().isa;
  const int32_t bits = isa == "avx512" ? 512 : isa == "avx2" ? 256 : 128;
  Status st;
  TF_Tensor* out = TF_AllocateOutput(ctx, 0, TF_INT32, nullptr, 0, sizeof(int32_t), st.s);
  if (!st.ok()) {
    TF_OpKernelContext_Failure(ctx, st.s);
    return;
  }
  *static_cast<int32_t*>(TF_TensorData(out)) = bits;
  TF_DeleteTensor(out);
}

void Register(const char* name, std::initializer_list<const char*> attrs, std::initializer_list<const char*> inputs,
              void (*shape)(TF_ShapeInferenceContext*, TF_Status*), void (*compute)(void*, TF_OpKernelContext*),
              void* (*create)(TF_OpKernelConstruction*) = nullptr, void (*destroy)(void*) = nullptr,
              const char* output = "out: float") {
  Status st;
  TF_OpDefinitionBuilder* op = TF_NewOpDefinitionBuilder(name);
  for (const char* a : attrs) TF_OpDefinitionBuilderAddAttr(op, a);
  for (const char* i : inputs) TF_OpDefinitionBuilderAddInput(op, i);
  TF_OpDefinitionBuilderAddOutput(op, output);
  TF_OpDefinitionBuilderSetShapeInferenceFunction(op, shape);
  TF_RegisterOpDefinition(op, st.s);
  if (!st.ok()) {
    std::fprintf(stderr, "oddball_ops: cannot register op %s\n", name);
    return;
  }
  TF_KernelBuilder* k = TF_NewKernelBuilder(name, "CPU", create, compute, destroy);
  Status ks;
  TF_RegisterKernelBuilder((std::string(name) + "Cpu").c_str(), k, ks.s);
  if (!ks.ok()) std::fprintf(stderr, "oddball_ops: cannot register the CPU kernel of %s\n", name);
}

[[maybe_unused]] const bool kRegistered = [] {
  Register("OddballConcatElu", {"N: int >= 1", "channels: list(int)"}, {"xs: N * float"}, ConcatEluShape, ConcatEluCompute);
  Register("OddballBiasSumConcatElu", {"N: int >= 1", "M: int >= 0"}, {"xs: N * float", "bias: float",
           "scale: M * float"}, BiasSumConcatEluShape, BiasSumConcatEluCompute);
  Register("OddballConcatEluGrad", {"M: int >= 0"}, {"y: float", "dy: float", "scale: M * float"}, HalfOfFirstShape,
           ConcatEluGradCompute);
  Register("OddballGate", {}, {"og: float", "y: float", "bias: float"}, FirstShape, GateCompute);
  Register("OddballGateGrad", {}, {"y: float", "bias: float", "dz: float"}, FirstShape, GateGradCompute);
  Register("OddballConvFilterGrad", {"pads: list(int)"}, {"x: float", "w: float", "dy: float"}, SecondShape,
           ConvFilterGradCompute, ConvFilterGradCreate, ConvFilterGradDelete);
  Register("OddballPatches", {"geom: list(int)"}, {"x: float"}, UnknownShape, PatchesCompute, GeomCreate, GeomDelete);
  Register("OddballPatchesGrad", {"geom: list(int)"}, {"dp: float"}, UnknownShape, PatchesGradCompute, GeomCreate,
           GeomDelete);
  Register("OddballPatchesGradBiasAct", {"geom: list(int)", "act: list(int)"}, {"dp: float", "bias: float"},
           UnknownShape, PatchesGradBiasActCompute, GeomActCreate, GeomActDelete);
  Register("OddballWinogradInput", {"geom: list(int)"}, {"x: float"}, UnknownShape, WinogradInputCompute,
           WinogradInputCreate, GeomDelete);
  Register("OddballWinogradOutputBiasAct", {"geom: list(int)", "act: list(int)"}, {"m: float", "bias: float"},
           UnknownShape, WinogradOutputCompute, WinogradOutputCreate, GeomActDelete);
  Register("OddballOpsIsa", {}, {}, UnknownShape, OpsIsaCompute, nullptr, nullptr, "out: int32");
  return true;
}();

}  // namespace
