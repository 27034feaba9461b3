package voicecall.engine.stt;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * One native PocketSphinx decoder (about 11 MB). Not thread-safe: its owner confines it to one
 * thread at a time. Input is 16 kHz signed 16-bit mono.
 */
final class SphinxDecoder {

  /** PocketSphinx's frame rate: 100 feature frames per second. */
  private static final int FRAME_MS = 10;

  private final PocketSphinxNative lib;
  private final Pointer config;
  private final Pointer ps;
  private final int nBest;
  private @Nullable Memory buffer;
  private boolean inUtterance;
  private long samples;
  private boolean freed;
  private @Nullable AtomicInteger counter;

  private SphinxDecoder(PocketSphinxNative lib, Pointer config, Pointer ps, int nBest) {
    this.lib = lib;
    this.config = config;
    this.ps = ps;
    this.nBest = nBest;
  }

  /** Arguments {@link #create} sets itself; search arguments must not repeat them. */
  static final Set<String> OWN_ARGUMENTS =
      Set.of("-hmm", "-lm", "-dict", "-fwdflat", "-maxwpf", "-samprate", "-remove_silence");

  /**
   * A decoder for an acoustic model directory, an ARPA language model and a dictionary.
   *
   * @param searchArguments further PocketSphinx arguments, name/value pairs ({@link
   *     #checkSearchArguments}), e.g. beams, or {@code -mllr <file>} for a transformed model
   * @throws IllegalStateException when PocketSphinx rejects the configuration or a file
   */
  static SphinxDecoder create(
      Path acousticModel,
      Path languageModel,
      Path dictionary,
      int nBest,
      List<String> searchArguments) {
    checkSearchArguments(searchArguments);
    PocketSphinxNative lib = PocketSphinxNative.load();
    String[] fixed = {
      "-hmm",
      acousticModel.toString(),
      "-lm",
      languageModel.toString(),
      "-dict",
      dictionary.toString(),
      "-fwdflat",
      "no",
      // At most 20 words may end in one frame. Without a limit, noisy audio lets many words end in
      // every frame, and building the lattice at the end of the utterance (ps_get_hyp with
      // bestpath) took 38 ms of CPU per question at 15 dB SNR (3.4 ms clean); with 20 it takes
      // 5.3 ms (1.6 ms clean), and the accuracy set is slightly better (STT-README.md, "Under
      // load: 30 calls"). 10 was faster still but let more wrong answers through in noise.
      "-maxwpf",
      "20",
      "-samprate",
      "16000",
      // Decode every frame instead of letting the front end's energy VAD drop "silence" first.
      // With the noise suppressor, white noise at 15 dB: 25 -> 30 % right first (STT-README.md).
      "-remove_silence",
      "no"
    };
    Object[] args = new Object[fixed.length + searchArguments.size() + 1];
    System.arraycopy(fixed, 0, args, 0, fixed.length);
    for (int i = 0; i < searchArguments.size(); i++) {
      args[fixed.length + i] = searchArguments.get(i);
    }
    Pointer config = lib.base.cmd_ln_init(null, lib.decoder.ps_args(), 1, args);
    if (config == null) {
      throw new IllegalStateException(
          "PocketSphinx rejected the decoder configuration (search arguments "
              + searchArguments
              + ")");
    }
    Pointer ps = lib.decoder.ps_init(config);
    if (ps == null) {
      lib.base.cmd_ln_free_r(config);
      throw new IllegalStateException(
          "PocketSphinx could not load "
              + acousticModel
              + ", "
              + languageModel
              + ", "
              + dictionary
              + " with "
              + searchArguments);
    }
    return new SphinxDecoder(lib, config, ps, nBest);
  }

  /**
   * Counts this decoder in {@code live} until it is freed: one more now, one less at {@link
   * #free()}. The recogniser counts its decoders this way.
   *
   * @return this decoder
   */
  SphinxDecoder countIn(AtomicInteger live) {
    live.incrementAndGet();
    counter = live;
    return this;
  }

  /**
   * The feature arguments of the acoustic model's {@code feat.params}. PocketSphinx reads that file
   * after the command line, so its values win and a search argument with one of these names would
   * be ignored without a word (three {@code -cmninit} values gave the same score; STT-README.md, "A
   * decoder per call"). The recogniser rewrites the file instead ({@code AcousticModel}).
   */
  static final Set<String> FEATURE_ARGUMENTS =
      Set.of(
          "-lowerf",
          "-upperf",
          "-nfilt",
          "-transform",
          "-lifter",
          "-feat",
          "-svspec",
          "-agc",
          "-cmn",
          "-varnorm",
          "-model",
          "-cmninit");

  /**
   * Checks that {@code arguments} are {@code -name value} pairs with distinct names, none of them
   * one of {@link #OWN_ARGUMENTS} or {@link #FEATURE_ARGUMENTS}. Whether PocketSphinx knows a name
   * and accepts its value is checked when a decoder is made.
   *
   * @throws IllegalArgumentException otherwise
   */
  static void checkSearchArguments(List<String> arguments) {
    if (arguments.size() % 2 != 0) {
      throw new IllegalArgumentException(
          "decoder arguments must be name/value pairs: " + arguments);
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < arguments.size(); i += 2) {
      String name = arguments.get(i);
      String value = arguments.get(i + 1);
      if (!name.matches("-[a-z][a-z_]*")) {
        throw new IllegalArgumentException("not a decoder argument name: '" + name + "'");
      }
      if (value.isBlank()) {
        throw new IllegalArgumentException("blank value for decoder argument " + name);
      }
      if (OWN_ARGUMENTS.contains(name)) {
        throw new IllegalArgumentException(
            "decoder argument " + name + " is set by the recogniser");
      }
      if (FEATURE_ARGUMENTS.contains(name)) {
        throw new IllegalArgumentException(
            "decoder argument "
                + name
                + " comes from the acoustic model's feat.params, which PocketSphinx reads after"
                + " the command line: it would be ignored");
      }
      if (!names.add(name)) {
        throw new IllegalArgumentException("decoder argument " + name + " given twice");
      }
    }
  }

  /** Starts an utterance, ending an unfinished earlier one (e.g. after a cancelled call). */
  void start() {
    checkLive();
    if (inUtterance) {
      lib.decoder.ps_end_utt(ps);
    }
    check(lib.decoder.ps_start_utt(ps), "ps_start_utt");
    inUtterance = true;
    samples = 0;
  }

  /** Decodes more 16 kHz audio of the current utterance. */
  void process(short[] pcm) {
    checkLive();
    if (!inUtterance) {
      throw new IllegalStateException("no utterance started");
    }
    if (pcm.length == 0) {
      return;
    }
    long bytes = 2L * pcm.length;
    Memory buf = buffer;
    if (buf == null || buf.size() < bytes) {
      buf = new Memory(Math.max(bytes, 6400));
      buffer = buf;
    }
    buf.write(0, pcm, 0, pcm.length);
    int result = lib.decoder.ps_process_raw(ps, buf, pcm.length, 0, 0);
    if (result < 0) {
      throw new IllegalStateException("ps_process_raw failed (" + result + ")");
    }
    samples += pcm.length;
  }

  /** Ends the utterance and reads the best hypothesis, word posteriors and the n-best list. */
  Transcript finish() {
    long began = System.nanoTime();
    checkLive();
    if (!inUtterance) {
      throw new IllegalStateException("no utterance started");
    }
    inUtterance = false;
    check(lib.decoder.ps_end_utt(ps), "ps_end_utt");
    IntByReference score = new IntByReference();
    String hyp = lib.decoder.ps_get_hyp(ps, score);
    String text = hyp == null ? "" : hyp.trim();
    Pointer logmath = lib.decoder.ps_get_logmath(ps);
    double confidence =
        text.isEmpty()
            ? 0
            : clamp(lib.base.logmath_exp(logmath, lib.decoder.ps_get_prob(ps, null)));
    List<WordHypothesis> words = text.isEmpty() ? List.of() : words(logmath);
    List<String> alternatives = text.isEmpty() ? List.of() : alternatives(text);
    return new Transcript(
        text,
        score.getValue(),
        confidence,
        words,
        alternatives,
        Duration.ofMillis(samples * 1000 / 16000),
        Duration.ofNanos(System.nanoTime() - began));
  }

  private List<WordHypothesis> words(Pointer logmath) {
    List<WordHypothesis> out = new ArrayList<>();
    IntByReference start = new IntByReference();
    IntByReference end = new IntByReference();
    IntByReference a = new IntByReference();
    IntByReference l = new IntByReference();
    IntByReference b = new IntByReference();
    for (Pointer seg = lib.decoder.ps_seg_iter(ps, new IntByReference());
        seg != null;
        seg = lib.decoder.ps_seg_next(seg)) {
      String word = lib.decoder.ps_seg_word(seg);
      if (isFiller(word)) {
        continue;
      }
      lib.decoder.ps_seg_frames(seg, start, end);
      double posterior =
          clamp(lib.base.logmath_exp(logmath, lib.decoder.ps_seg_prob(seg, a, l, b)));
      out.add(
          new WordHypothesis(
              baseForm(word),
              Duration.ofMillis((long) start.getValue() * FRAME_MS),
              Duration.ofMillis((long) (end.getValue() + 1) * FRAME_MS),
              posterior));
    }
    return out;
  }

  private List<String> alternatives(String best) {
    if (nBest <= 1) {
      return List.of();
    }
    Set<String> out = new LinkedHashSet<>();
    IntByReference score = new IntByReference();
    Pointer nbest = lib.decoder.ps_nbest(ps, 0, -1, null, null);
    int seen = 0;
    while (nbest != null && out.size() < nBest - 1 && seen < 4 * nBest) {
      nbest = lib.decoder.ps_nbest_next(nbest);
      if (nbest == null) {
        break;
      }
      seen++;
      String hyp = lib.decoder.ps_nbest_hyp(nbest, score);
      if (hyp != null) {
        String cleaned = cleanHypothesis(hyp);
        if (!cleaned.isEmpty() && !cleaned.equals(best)) {
          out.add(cleaned);
        }
      }
    }
    if (nbest != null) {
      lib.decoder.ps_nbest_free(nbest);
    }
    return List.copyOf(out);
  }

  /** Frees the native decoder; later calls fail. Idempotent. */
  void free() {
    if (!freed) {
      freed = true;
      lib.decoder.ps_free(ps);
      lib.base.cmd_ln_free_r(config);
      AtomicInteger c = counter;
      if (c != null) {
        c.decrementAndGet();
      }
    }
  }

  private void checkLive() {
    if (freed) {
      throw new IllegalStateException("decoder already freed");
    }
  }

  private static void check(int result, String function) {
    if (result < 0) {
      throw new IllegalStateException(function + " failed (" + result + ")");
    }
  }

  private static double clamp(double p) {
    return Double.isNaN(p) ? 0 : Math.max(0, Math.min(1, p));
  }

  static boolean isFiller(String word) {
    return word.startsWith("<") || word.startsWith("[") || word.startsWith("+") || word.isEmpty();
  }

  /** {@code word(2)} (an alternative pronunciation) is {@code word}. */
  static String baseForm(String word) {
    int paren = word.indexOf('(');
    return paren > 0 ? word.substring(0, paren) : word;
  }

  static String cleanHypothesis(String hyp) {
    StringBuilder out = new StringBuilder();
    for (String w : hyp.trim().split("\\s+")) {
      if (!isFiller(w)) {
        if (out.length() > 0) {
          out.append(' ');
        }
        out.append(baseForm(w));
      }
    }
    return out.toString();
  }
}
