package voicecall.tts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import voicecall.tts.audio.PcmAudio;

/**
 * Speaks a reply: splits it into sentences, normalises each, synthesises up to {@code concurrency}
 * sentences at once and emits their audio strictly in reading order ({@code flatMapSequential}), so
 * the first sentence plays as soon as it is ready while the rest are prepared. Audio is resampled
 * once to the call's rate and trimmed of leading and trailing silence; cached sentences are not
 * synthesised again. Cancelling the returned stream (barge-in, hang-up) cancels the synthesis still
 * running. Thread-safe; one instance serves every call.
 */
public final class OrderedSynthesis {

  private final Synthesizer synthesizer;
  private final SentenceSplitter splitter;
  private final @Nullable AudioCache cache;
  private final int concurrency;
  private final int prerenderConcurrency;
  private final int sampleRate;
  private final Duration frame;
  private final double silenceDbfs;
  private final Duration silenceMargin;
  private final int maxReplyChars;

  private OrderedSynthesis(Builder builder) {
    this.synthesizer = builder.synthesizer;
    this.splitter = builder.splitter;
    this.cache = builder.cache;
    this.concurrency = builder.concurrency;
    this.prerenderConcurrency = builder.prerenderConcurrency;
    this.sampleRate = builder.sampleRate;
    this.frame = builder.frame;
    this.silenceDbfs = builder.silenceDbfs;
    this.silenceMargin = builder.silenceMargin;
    this.maxReplyChars = builder.maxReplyChars;
    // Fail now, not on the first call, when the frame does not fit the rate.
    checkRate(sampleRate, frame);
  }

  private static void checkRate(int rate, Duration frame) {
    if (rate < 8_000 || rate > 48_000) {
      throw new IllegalArgumentException(
          "sample rate must be between 8000 and 48000 Hz, was " + rate);
    }
    PcmAudio.silence(frame, rate).frames(frame);
  }

  /**
   * Starts a builder.
   *
   * @param synthesizer what turns sentences into audio, usually a {@link Synthesizers#withFallback
   *     fallback chain}
   * @return the builder
   */
  public static Builder builder(Synthesizer synthesizer) {
    return new Builder(synthesizer);
  }

  /**
   * The sample rate of every audio this emits.
   *
   * @return samples per second
   */
  public int sampleRate() {
    return sampleRate;
  }

  /**
   * The audio of each sentence of a reply, in reading order.
   *
   * @param text the reply text
   * @param voice the voice and language
   * @return one audio per sentence at {@link #sampleRate()}; an {@link IllegalArgumentException}
   *     when the text is empty or has nothing to say, a {@link SynthesisException} when no
   *     synthesiser speaks the language or a sentence cannot be synthesised
   */
  public Flux<PcmAudio> sentences(String text, Voice voice) {
    return sentences(text, voice, sampleRate);
  }

  /**
   * The audio of each sentence of a reply, in reading order, at a given rate (e.g. 16 kHz for a
   * wide-band call). Cached audio is kept per rate.
   *
   * @param text the reply text
   * @param voice the voice and language
   * @param rate the call's sample rate, 8000 to 48000, holding whole frames
   * @return one audio per sentence at {@code rate}; errors as {@link #sentences(String, Voice)}
   */
  public Flux<PcmAudio> sentences(String text, Voice voice, int rate) {
    checkRate(rate, frame);
    return Flux.defer(
        () -> {
          List<String> spoken = spokenSentences(text, voice);
          if (!synthesizer.supports(voice.language())) {
            return Flux.error(
                new SynthesisException(
                    "no synthesiser speaks " + voice.language() + " (" + synthesizer.name() + ")"));
          }
          return Flux.fromIterable(spoken)
              .flatMapSequential(sentence -> render(sentence, voice, rate), concurrency, 1);
        });
  }

  /**
   * The reply as back-to-back frames of equal length (20 ms by default) for a frame clock. Frames
   * run across sentence boundaries, so no padding is inserted between sentences; only the last
   * frame is padded with silence.
   *
   * @param text the reply text
   * @param voice the voice and language
   * @return the frames, in order, at {@link #sampleRate()}
   */
  public Flux<PcmAudio> frames(String text, Voice voice) {
    return frames(text, voice, sampleRate);
  }

  /**
   * The reply as frames at a given rate, as {@link #frames(String, Voice)}.
   *
   * @param text the reply text
   * @param voice the voice and language
   * @param rate the call's sample rate, 8000 to 48000, holding whole frames
   * @return the frames, in order, at {@code rate}
   */
  public Flux<PcmAudio> frames(String text, Voice voice, int rate) {
    checkRate(rate, frame);
    return Flux.defer(
        () -> {
          Framer framer = new Framer(rate, PcmAudio.silence(frame, rate).length());
          return sentences(text, voice, rate)
              .concatMapIterable(framer::push)
              .concatWith(Flux.defer(() -> Flux.fromIterable(framer.flush())));
        });
  }

  /**
   * Synthesises every sentence of the texts into the cache, a few at a time, so later replies with
   * them need no synthesis. Nothing happens until it is subscribed; subscribe on a background path.
   * A sentence that fails is reported, not thrown.
   *
   * @param texts e.g. every FAQ answer and the fixed prompts
   * @param voice the voice they will be spoken with
   * @return what was done
   * @throws IllegalStateException when this synthesis has no cache
   */
  public Mono<PrerenderReport> prerender(Collection<String> texts, Voice voice) {
    return prerender(texts, voice, sampleRate);
  }

  /**
   * Pre-renders at a given rate, as {@link #prerender(Collection, Voice)}.
   *
   * @param texts the texts
   * @param voice the voice they will be spoken with
   * @param rate the sample rate the calls will use
   * @return what was done
   */
  public Mono<PrerenderReport> prerender(Collection<String> texts, Voice voice, int rate) {
    checkRate(rate, frame);
    AudioCache target = cache;
    if (target == null) {
      throw new IllegalStateException("pre-rendering needs an audio cache; set one on the builder");
    }
    List<String> snapshot = List.copyOf(texts);
    return Mono.defer(
        () -> {
          Set<String> distinct = new LinkedHashSet<>();
          ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
          for (String text : snapshot) {
            if (text.length() > maxReplyChars) {
              failures.add(
                  "text of " + text.length() + " characters is longer than " + maxReplyChars);
              continue;
            }
            for (String sentence : splitter.split(text, voice.language())) {
              String spoken = SpeechText.normalise(sentence, voice.language());
              if (!spoken.isEmpty()) {
                distinct.add(spoken);
              }
            }
          }
          AtomicInteger cached = new AtomicInteger();
          AtomicInteger rendered = new AtomicInteger();
          return Flux.fromIterable(distinct)
              .filter(
                  sentence -> {
                    boolean present = target.contains(voice, sentence, rate);
                    if (present) {
                      cached.incrementAndGet();
                    }
                    return !present;
                  })
              .flatMap(
                  sentence ->
                      synthesizeAndStore(sentence, voice, rate)
                          .doOnNext(audio -> rendered.incrementAndGet())
                          .onErrorResume(
                              e -> {
                                failures.add(sentence + ": " + e.getMessage());
                                return Mono.empty();
                              }),
                  prerenderConcurrency)
              .then(
                  Mono.fromSupplier(
                      () ->
                          new PrerenderReport(
                              distinct.size(),
                              rendered.get(),
                              cached.get(),
                              new ArrayList<>(failures))));
        });
  }

  private List<String> spokenSentences(String text, Voice voice) {
    if (text.isBlank()) {
      throw new IllegalArgumentException("reply text is empty");
    }
    if (text.length() > maxReplyChars) {
      throw new IllegalArgumentException(
          "reply text is too long: " + text.length() + " characters, at most " + maxReplyChars);
    }
    List<String> spoken = new ArrayList<>();
    for (String sentence : splitter.split(text, voice.language())) {
      String normalised = SpeechText.normalise(sentence, voice.language());
      if (!normalised.isEmpty()) {
        spoken.add(normalised);
      }
    }
    if (spoken.isEmpty()) {
      throw new IllegalArgumentException(
          "nothing to say in reply text '" + text + "' (no letters or digits)");
    }
    return spoken;
  }

  private Mono<PcmAudio> render(String sentence, Voice voice, int rate) {
    AudioCache target = cache;
    if (target != null) {
      PcmAudio hit = target.get(voice, sentence, rate).orElse(null);
      if (hit != null) {
        return Mono.just(hit);
      }
    }
    return synthesizeAndStore(sentence, voice, rate);
  }

  private Mono<PcmAudio> synthesizeAndStore(String sentence, Voice voice, int rate) {
    return Mono.defer(() -> synthesizer.synthesize(sentence, voice))
        .map(audio -> audio.resampleTo(rate).trimSilence(silenceDbfs, silenceMargin))
        .doOnNext(
            audio -> {
              AudioCache target = cache;
              if (target != null) {
                target.put(voice, sentence, audio);
              }
            });
  }

  /** Cuts a run of audio into equal frames, carrying the remainder to the next audio. */
  private final class Framer {
    private final int rate;
    private final int size;
    private short[] carry = new short[0];

    Framer(int rate, int size) {
      this.rate = rate;
      this.size = size;
    }

    List<PcmAudio> push(PcmAudio audio) {
      short[] samples = audio.samples();
      short[] joined = new short[carry.length + samples.length];
      System.arraycopy(carry, 0, joined, 0, carry.length);
      System.arraycopy(samples, 0, joined, carry.length, samples.length);
      int whole = joined.length / size * size;
      List<PcmAudio> frames = new ArrayList<>();
      for (int start = 0; start < whole; start += size) {
        short[] frameSamples = new short[size];
        System.arraycopy(joined, start, frameSamples, 0, size);
        frames.add(PcmAudio.of(frameSamples, rate));
      }
      carry = Arrays.copyOfRange(joined, whole, joined.length);
      return frames;
    }

    List<PcmAudio> flush() {
      if (carry.length == 0) {
        return List.of();
      }
      return PcmAudio.of(carry, rate).frames(frame);
    }
  }

  /** Settings of an {@link OrderedSynthesis}; every knob has a default. */
  public static final class Builder {
    private final Synthesizer synthesizer;
    private SentenceSplitter splitter = SentenceSplitter.create();
    private @Nullable AudioCache cache;
    private int concurrency = Runtime.getRuntime().availableProcessors();
    private int prerenderConcurrency = 1;
    private int sampleRate = 8_000;
    private Duration frame = Duration.ofMillis(20);
    private double silenceDbfs = -50;
    private Duration silenceMargin = Duration.ofMillis(30);
    private int maxReplyChars = 5_000;

    private Builder(Synthesizer synthesizer) {
      this.synthesizer = Objects.requireNonNull(synthesizer, "synthesizer");
    }

    /**
     * How the reply is cut into sentences (default {@link SentenceSplitter#create()}).
     *
     * @param splitter the splitter
     * @return this builder
     */
    public Builder splitter(SentenceSplitter splitter) {
      this.splitter = Objects.requireNonNull(splitter, "splitter");
      return this;
    }

    /**
     * Where sentences are cached (default none).
     *
     * @param cache the cache
     * @return this builder
     */
    public Builder cache(AudioCache cache) {
      this.cache = Objects.requireNonNull(cache, "cache");
      return this;
    }

    /**
     * Sentences synthesised at once per reply (default the number of cores).
     *
     * @param concurrency at least 1
     * @return this builder
     */
    public Builder concurrency(int concurrency) {
      if (concurrency < 1) {
        throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
      }
      this.concurrency = concurrency;
      return this;
    }

    /**
     * Sentences synthesised at once while pre-rendering (default 1, to leave the cores to calls).
     *
     * @param concurrency at least 1
     * @return this builder
     */
    public Builder prerenderConcurrency(int concurrency) {
      if (concurrency < 1) {
        throw new IllegalArgumentException(
            "pre-render concurrency must be at least 1, was " + concurrency);
      }
      this.prerenderConcurrency = concurrency;
      return this;
    }

    /**
     * The call's sample rate (default 8000 Hz, telephony).
     *
     * @param sampleRate samples per second, 8000 to 48000
     * @return this builder
     */
    public Builder sampleRate(int sampleRate) {
      checkRate(sampleRate, Duration.ofMillis(10));
      this.sampleRate = sampleRate;
      return this;
    }

    /**
     * Frame length for {@link #frames} (default 20 ms).
     *
     * @param frame a whole number of samples at the sample rate
     * @return this builder
     */
    public Builder frame(Duration frame) {
      this.frame = Objects.requireNonNull(frame, "frame");
      return this;
    }

    /**
     * Silence trimming: windows quieter than {@code thresholdDbfs} at either end are cut, keeping
     * {@code margin} (defaults -50 dBFS and 30 ms).
     *
     * @param thresholdDbfs the silence level
     * @param margin silence kept at each end
     * @return this builder
     */
    public Builder silence(double thresholdDbfs, Duration margin) {
      if (thresholdDbfs >= 0 || margin.isNegative()) {
        throw new IllegalArgumentException(
            "silence threshold must be below 0 dBFS and margin not negative");
      }
      this.silenceDbfs = thresholdDbfs;
      this.silenceMargin = margin;
      return this;
    }

    /**
     * Longest reply accepted (default 5000 characters, several minutes of speech); longer text is
     * refused with a clear error instead of occupying the synthesisers.
     *
     * @param maxReplyChars at least 1
     * @return this builder
     */
    public Builder maxReplyChars(int maxReplyChars) {
      if (maxReplyChars < 1) {
        throw new IllegalArgumentException(
            "maxReplyChars must be at least 1, was " + maxReplyChars);
      }
      this.maxReplyChars = maxReplyChars;
      return this;
    }

    /**
     * Builds the synthesis.
     *
     * @return the synthesis
     */
    public OrderedSynthesis build() {
      return new OrderedSynthesis(this);
    }
  }
}
