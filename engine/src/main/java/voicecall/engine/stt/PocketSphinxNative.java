package voicecall.engine.stt;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import org.jspecify.annotations.Nullable;

/**
 * The C functions of PocketSphinx 5prealpha ({@code libpocketsphinx.so.3}) and SphinxBase ({@code
 * libsphinxbase.so.3}) that the recogniser calls. Functions whose argument list changed between
 * releases are declared with the older, longer list: on x86-64 a callee ignores trailing arguments
 * it does not declare, so both variants are called correctly.
 */
final class PocketSphinxNative {

  /** PocketSphinx decoder functions. */
  interface Decoder extends Library {
    Pointer ps_args();

    @Nullable Pointer ps_init(Pointer config);

    int ps_start_utt(Pointer ps);

    int ps_process_raw(Pointer ps, Pointer data, long samples, int noSearch, int fullUtterance);

    int ps_end_utt(Pointer ps);

    @Nullable String ps_get_hyp(Pointer ps, IntByReference score);

    int ps_get_prob(Pointer ps, @Nullable Pointer unused);

    Pointer ps_get_logmath(Pointer ps);

    @Nullable Pointer ps_seg_iter(Pointer ps, IntByReference unused);

    @Nullable Pointer ps_seg_next(Pointer seg);

    String ps_seg_word(Pointer seg);

    void ps_seg_frames(Pointer seg, IntByReference startFrame, IntByReference endFrame);

    int ps_seg_prob(
        Pointer seg, IntByReference acoustic, IntByReference language, IntByReference backoff);

    void ps_seg_free(Pointer seg);

    @Nullable Pointer ps_nbest(
        Pointer ps, int startFrame, int endFrame, @Nullable String ctx1, @Nullable String ctx2);

    @Nullable Pointer ps_nbest_next(Pointer nbest);

    @Nullable String ps_nbest_hyp(Pointer nbest, IntByReference score);

    void ps_nbest_free(Pointer nbest);

    int ps_free(Pointer ps);
  }

  /** SphinxBase configuration, logging and log-math functions. */
  interface Base extends Library {
    @Nullable Pointer cmd_ln_init(
        @Nullable Pointer inout, Pointer definitions, int strict, Object... args);

    int cmd_ln_free_r(Pointer config);

    @Nullable Pointer err_set_logfp(@Nullable Pointer file);

    double logmath_exp(Pointer logmath, int logValue);
  }

  private static final Object LOCK = new Object();
  private static @Nullable PocketSphinxNative instance;
  private static @Nullable Throwable failure;

  final Decoder decoder;
  final Base base;

  private PocketSphinxNative(Decoder decoder, Base base) {
    this.decoder = decoder;
    this.base = base;
  }

  /**
   * Loads both libraries once and silences their log output (a process-wide setting).
   *
   * @throws IllegalStateException when the libraries are not installed
   */
  static PocketSphinxNative load() {
    synchronized (LOCK) {
      if (instance != null) {
        return instance;
      }
      if (failure == null) {
        try {
          Base base = Native.load("libsphinxbase.so.3", Base.class);
          Decoder decoder = Native.load("libpocketsphinx.so.3", Decoder.class);
          base.err_set_logfp(null);
          instance = new PocketSphinxNative(decoder, base);
          return instance;
        } catch (UnsatisfiedLinkError e) {
          failure = e;
        }
      }
      throw new IllegalStateException(
          "PocketSphinx is not installed (apt-get install libpocketsphinx3 pocketsphinx-en-us)",
          failure);
    }
  }

  /**
   * Whether the native libraries can be loaded.
   *
   * @return true when {@link #load()} succeeds
   */
  static boolean available() {
    try {
      load();
      return true;
    } catch (IllegalStateException e) {
      return false;
    }
  }
}
