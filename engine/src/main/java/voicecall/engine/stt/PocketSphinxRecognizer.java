package voicecall.engine.stt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import voicecall.rag.KnowledgeBase;
import voicecall.tts.audio.PcmAudio;
import voicecall.tts.audio.Resampler;
import voicecall.tts.audio.ResamplingStream;

/**
 * English recognition with PocketSphinx 5prealpha (apt {@code libpocketsphinx3}, {@code
 * pocketsphinx-en-us}) and a domain trigram model built from the knowledge base.
 *
 * <p>Decoders run on a fixed set of named threads ({@code stt-*}). Each session owns one decoder
 * and a serial lane on those threads, so its decoder is used by one thread at a time and frames are
 * decoded in order; a session finishing an utterance goes ahead of sessions that only have frames
 * to decode ({@link DecodingThreads}). A decoder serves one call: a session takes one that no call
 * has used and frees it when it closes, so what a call hears never depends on the calls before it
 * (a decoder's live cepstral mean and search state follow the audio it decoded). {@link #update}
 * builds the next version's model to the side and swaps it in, so calls in progress finish on the
 * old model and new sessions get the new one.
 *
 * <p>Each knowledge version has two pools of decoders: one with the plain acoustic model and one
 * with the noise-adapted model (its means and variances MAP-adapted to noisy telephone speech;
 * STT-README.md). Per utterance, a session picks the model by the line's noise level, which its
 * noise suppressor estimates over the first audio of the utterance (the VAD's pre-roll) and carries
 * across the call: at or above {@link Settings#noisyLineDbfs()} the noise-adapted model decodes the
 * utterance. A session holds one decoder at a time; changing model between utterances frees the
 * held decoder and takes a spare of the other model.
 *
 * <p>Decoders are built only on the one-off scheduler ({@link DecodingThreads#oneOff()}), never on
 * a session's lane: {@link #create} and {@link #update} put one decoder of each model into the new
 * version's pools, and whenever a pool holds fewer than {@link LanguagePack#SPARES_PER_MODEL}
 * spares, more are built in the background, one at a time (a spare finished for a replaced version
 * or after {@link #close()} is freed). When a session must change model and the other pool is still
 * empty (several calls turned noisy at once), it keeps holding the utterance's audio back, a
 * decoder is built for it on the one-off scheduler, and the audio goes to that decoder when it
 * arrives; the end of speech waits for it if it comes to that. The session never decodes an
 * utterance with the other model instead, so which model decodes an utterance depends on the line's
 * noise level only, never on timing ({@code RecognitionAccuracyIT} asserts it per utterance), and
 * the lane's thread is free for other calls' frames meanwhile.
 */
public final class PocketSphinxRecognizer implements Recognizer {

  /** Where {@code pocketsphinx-en-us} installs the model. */
  public static final Path SYSTEM_MODEL = Path.of("/usr/share/pocketsphinx/model/en-us");

  private static final int RATE = 16000;

  /**
   * The noise-adapted model's files, class-path resources in {@code noise-adapted/} next to this
   * class: MAP-adapted means, variances and transition matrices that replace the model's own
   * (STT-README.md, "Noise-adapted model"; {@code engine/src/adapt/adapt.sh} makes them).
   */
  static final List<String> NOISE_MODEL_FILES =
      List.of("means", "variances", "transition_matrices");

  /**
   * How much of an utterance the noise level is read after: 200 ms, most of the VAD's 256 ms
   * pre-roll, so it is read from the line before the caller speaks ({@link
   * NoiseSuppressor#noiseLevelDb()}).
   */
  static final Duration NOISE_DECISION_AFTER = Duration.ofMillis(200);

  /**
   * How many pieces of a call's audio (the VAD's 32 ms windows in a call) one decoding task takes:
   * 12, so a call's decoder runs about every 384 ms rather than every 32 ms, and its acoustic model
   * is still in the processor's cache for most of the frames. With 30 noisy calls on 2 cores the
   * decoding threads' CPU per second of speech was 0.063 with 1 piece per task, 0.053 with 4, 0.050
   * with 8, 0.047 with 12 and 0.048 with 16. The rest of an utterance (at most 11 pieces, mostly
   * its trailing silence) is decoded at the end of speech: finalisation as heard p99 26, 23, 28, 32
   * and 38 ms (STT-README.md, "Decoding in batches").
   */
  static final int FRAMES_PER_TASK = 12;

  private final Settings settings;
  private final Path acousticModel;
  private final Path cmudict;
  private final @Nullable Path noiseAcoustic;
  // The noise-adapted decoders' search arguments, with -mllr when that model is a transform.
  private final List<String> noiseArguments;
  private final AtomicLong decodedPlain = new AtomicLong();
  private final AtomicLong decodedNoiseAdapted = new AtomicLong();
  private final DecodingThreads threads;
  private final Scheduler scheduler;
  private final AtomicReference<LanguagePack> current;
  private final AtomicInteger sessions = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Consumer<Boolean> beforeBuild = noiseAdapted -> {};
  private final AtomicInteger liveDecoders = new AtomicInteger();

  /**
   * Recogniser settings.
   *
   * @param maxSessions how many calls can hold a decoder at once (one decoder each, ~11 MB native)
   * @param threads decoding threads
   * @param finalisationTimeout how long the end of an utterance may take before that call's
   *     recognition fails
   * @param nBest how many hypotheses to report (1 = best only)
   * @param workDirectory where model copies and language models are written
   * @param noiseAdapted whether utterances on noisy lines are decoded with the noise-adapted model
   * @param noisyLineDbfs the noise level (dB relative to full scale, {@code NoiseSuppressor}'s
   *     estimate) from which a line counts as noisy
   * @param decoderArguments PocketSphinx search arguments as name/value pairs ({@code "-beam",
   *     "1e-38"}) for the plain model's decoders, passed after the recogniser's own; {@link
   *     #DECODER_ARGUMENTS} by default. The recogniser's own ({@code -hmm -lm -dict -samprate
   *     -fwdflat -maxwpf -remove_silence}) cannot be given here
   * @param noiseDecoderArguments the same for the noise-adapted model's decoders; {@link
   *     #NOISE_DECODER_ARGUMENTS} by default
   */
  public record Settings(
      int maxSessions,
      int threads,
      Duration finalisationTimeout,
      int nBest,
      Path workDirectory,
      boolean noiseAdapted,
      double noisyLineDbfs,
      List<String> decoderArguments,
      List<String> noiseDecoderArguments) {

    /**
     * The noise level from which the noise-adapted model is used by default, in dBFS. Measured over
     * 40 utterances each ({@code NoiseLevelIT}; STT-README.md, "Noise-adapted model"): clean flite
     * speech in µ-law with digital silence around it reads -210, a quiet line with white hiss at
     * -66 or -60 dBFS reads -67 to -60; white noise 20 dB under the speech reads -51 to -33 (the
     * voices differ in level), 15 dB under it -46 to -28, 10 dB -41 to -23.
     */
    public static final double DEFAULT_NOISY_LINE_DBFS = -55;

    /**
     * The plain model's default search arguments: narrower beams than PocketSphinx's defaults
     * ({@code -beam -pbeam 1e-48}) and a 3-frame phone-loop lookahead instead of 5. Less CPU per
     * second of speech at the same accuracy. Narrower lattice beams as well ({@code -lpbeam 1e-30
     * -lponlybeam 1e-20}) saved a little more, but in babble, two thirds of which this model
     * decodes, they let 5.0 % wrong answers through instead of 2.8 % (STT-README.md, "Decoder CPU
     * in noise").
     */
    public static final List<String> DECODER_ARGUMENTS =
        List.of("-beam", "1e-38", "-pbeam", "1e-38", "-pl_window", "3");

    /**
     * The noise-adapted model's default search arguments: {@link #DECODER_ARGUMENTS} and 3
     * Gaussians per mixture scored instead of 4 ({@code -topn 3}). With 30 noisy calls that saves
     * about 8 % of the recogniser's CPU (0.055 -> 0.051 s per s of speech, alternated runs) at the
     * same accuracy over the noisy sets (one utterance fewer right first of 990). It used to let
     * 3.3-3.9 % wrong answers through; since a noisy line needs a word posterior of 0.6 for a
     * direct answer ({@link SpokenQuestionPolicy#DEFAULT}) they stay at 0-1.1 % (babble 3.3 %, as
     * before). Narrower lattice beams let more wrong answers through (STT-README.md, "Decoder CPU
     * in noise", "Varied speaking rates ..."). A separate list, because a model adapted another way
     * may need others (with an MLLR transform, narrower beams raised wrong answers to 3.9 %).
     */
    public static final List<String> NOISE_DECODER_ARGUMENTS =
        Stream.concat(DECODER_ARGUMENTS.stream(), Stream.of("-topn", "3")).toList();

    /**
     * Rejects non-positive counts and timeouts, an n-best above 20, a level above 0 dBFS and
     * decoder arguments that are not distinct {@code -name value} pairs or that name one of the
     * recogniser's own.
     */
    public Settings {
      decoderArguments = List.copyOf(decoderArguments);
      noiseDecoderArguments = List.copyOf(noiseDecoderArguments);
      SphinxDecoder.checkSearchArguments(decoderArguments);
      SphinxDecoder.checkSearchArguments(noiseDecoderArguments);
      if (maxSessions < 1 || threads < 1) {
        throw new IllegalArgumentException("maxSessions and threads must be positive");
      }
      if (finalisationTimeout.isNegative() || finalisationTimeout.isZero()) {
        throw new IllegalArgumentException("finalisationTimeout must be positive");
      }
      if (nBest < 1 || nBest > 20) {
        throw new IllegalArgumentException("nBest must be 1..20: " + nBest);
      }
      if (!Double.isFinite(noisyLineDbfs) || noisyLineDbfs > 0) {
        throw new IllegalArgumentException(
            "noisyLineDbfs must be a finite level at or under 0 dBFS: " + noisyLineDbfs);
      }
    }

    /**
     * Settings with the noise-adapted model on from {@link #DEFAULT_NOISY_LINE_DBFS} and the
     * default decoder arguments of both models.
     *
     * @param maxSessions how many calls can hold a decoder at once
     * @param threads decoding threads
     * @param finalisationTimeout how long the end of an utterance may take
     * @param nBest how many hypotheses to report
     * @param workDirectory where model copies and language models are written
     */
    public Settings(
        int maxSessions, int threads, Duration finalisationTimeout, int nBest, Path workDirectory) {
      this(
          maxSessions,
          threads,
          finalisationTimeout,
          nBest,
          workDirectory,
          true,
          DEFAULT_NOISY_LINE_DBFS,
          DECODER_ARGUMENTS,
          NOISE_DECODER_ARGUMENTS);
    }

    /**
     * These settings with the noise-adapted model switched on or off and its threshold.
     *
     * @param on whether noisy lines get the noise-adapted model
     * @param fromDbfs the noise level from which a line counts as noisy
     * @return the changed settings
     */
    public Settings withNoiseAdapted(boolean on, double fromDbfs) {
      return new Settings(
          maxSessions,
          threads,
          finalisationTimeout,
          nBest,
          workDirectory,
          on,
          fromDbfs,
          decoderArguments,
          noiseDecoderArguments);
    }

    /**
     * These settings with another bound on the calls that hold a decoder at once.
     *
     * @param sessions how many calls can hold a decoder at once, at least 1
     * @return the new settings
     */
    public Settings withMaxSessions(int sessions) {
      return new Settings(
          sessions,
          threads,
          finalisationTimeout,
          nBest,
          workDirectory,
          noiseAdapted,
          noisyLineDbfs,
          decoderArguments,
          noiseDecoderArguments);
    }

    /**
     * These settings with other decoder arguments for the plain model.
     *
     * @param arguments name/value pairs, replacing {@link #decoderArguments()} entirely
     * @return the new settings
     */
    public Settings withDecoderArguments(List<String> arguments) {
      return new Settings(
          maxSessions,
          threads,
          finalisationTimeout,
          nBest,
          workDirectory,
          noiseAdapted,
          noisyLineDbfs,
          arguments,
          noiseDecoderArguments);
    }

    /**
     * These settings with other decoder arguments for the noise-adapted model.
     *
     * @param arguments name/value pairs, replacing {@link #noiseDecoderArguments()} entirely
     * @return the new settings
     */
    public Settings withNoiseDecoderArguments(List<String> arguments) {
      return new Settings(
          maxSessions,
          threads,
          finalisationTimeout,
          nBest,
          workDirectory,
          noiseAdapted,
          noisyLineDbfs,
          decoderArguments,
          arguments);
    }

    /**
     * 48 sessions, one thread per core, 2 s finalisation timeout, 3-best, a temporary directory,
     * the noise-adapted model on from {@link #DEFAULT_NOISY_LINE_DBFS}, the default decoder
     * arguments.
     *
     * @return the defaults
     */
    public static Settings defaults() {
      try {
        return new Settings(
            48,
            Runtime.getRuntime().availableProcessors(),
            Duration.ofSeconds(2),
            3,
            Files.createTempDirectory("voicecall-stt"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private PocketSphinxRecognizer(
      Settings settings,
      Path acousticModel,
      Path cmudict,
      @Nullable Path noiseAcoustic,
      @Nullable Path noiseTransform,
      LanguagePack pack) {
    this.settings = settings;
    this.acousticModel = acousticModel;
    this.cmudict = cmudict;
    this.noiseAcoustic = noiseAcoustic;
    this.noiseArguments = noiseArguments(settings, noiseTransform);
    this.current = new AtomicReference<>(pack);
    this.threads = new DecodingThreads(settings.threads(), "stt");
    this.scheduler = threads.oneOff();
  }

  /**
   * Builds the domain model of {@code knowledge} and the recogniser. Blocking (about a second):
   * call at start-up, off any event loop.
   *
   * @param model the pocketsphinx-en-us model directory ({@link #SYSTEM_MODEL})
   * @throws IllegalStateException when PocketSphinx or the model is not installed
   */
  public static PocketSphinxRecognizer create(
      KnowledgeBase knowledge, Path model, Settings settings) {
    return create(knowledge, model, settings, null);
  }

  /**
   * Like {@link #create(KnowledgeBase, Path, Settings)} with another noise-adapted model (null: the
   * shipped one), e.g. one estimated from part of the voices for a cross-validation: an MLLR
   * transform file, or a directory of adapted {@code means} and {@code variances} (MAP) that
   * replace the model's own.
   */
  static PocketSphinxRecognizer create(
      KnowledgeBase knowledge, Path model, Settings settings, @Nullable Path adapted) {
    PocketSphinxNative.load();
    try {
      Path source = model.resolve("en-us");
      Path acoustic = AcousticModel.prepare(source, settings.workDirectory());
      Path cmudict = model.resolve("cmudict-en-us.dict");
      Path noiseAcoustic = null;
      Path noiseTransform = null;
      if (settings.noiseAdapted()) {
        Path noisy = adapted != null ? adapted : AcousticModel.noiseModel(settings.workDirectory());
        if (Files.isDirectory(noisy)) {
          noiseAcoustic =
              AcousticModel.prepare(
                  source, Files.createTempDirectory(settings.workDirectory(), "noise-"), noisy);
        } else {
          noiseAcoustic = acoustic;
          noiseTransform = noisy;
        }
      }
      LanguagePack pack = LanguagePack.build(knowledge, cmudict, settings.workDirectory());
      PocketSphinxRecognizer recognizer =
          new PocketSphinxRecognizer(
              settings, acoustic, cmudict, noiseAcoustic, noiseTransform, pack);
      try {
        // One decoder of each model, built as sessions use them: a model PocketSphinx cannot load
        // fails here, and the first call (and its first noisy utterance) finds a decoder ready.
        recognizer.fillPools(pack);
      } catch (RuntimeException e) {
        recognizer.close();
        throw e;
      }
      return recognizer;
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the recognition model files", e);
    }
  }

  /**
   * Builds the model of a new knowledge version and swaps it in for new sessions. A version that
   * PocketSphinx cannot load is not swapped in; the old one stays.
   *
   * @return the version now active
   */
  public Mono<Long> update(KnowledgeBase knowledge) {
    return Mono.fromCallable(
            () -> {
              LanguagePack pack = LanguagePack.build(knowledge, cmudict, settings.workDirectory());
              fillPools(pack);
              LanguagePack old = current.getAndSet(pack);
              if (old != null) {
                old.drain();
              }
              if (closed.get()) {
                pack.drain(); // closed while this version was built
              }
              return pack.version;
            })
        .subscribeOn(scheduler);
  }

  /**
   * Puts one decoder of each model into the pools of a new knowledge version, before it is swapped
   * in, and starts building the other spares in the background. When one cannot be built, the ones
   * already built are freed and the error goes out.
   */
  private void fillPools(LanguagePack pack) {
    try {
      pack.spares.addNew(newDecoder(pack, false));
      if (noiseAcoustic != null) {
        pack.sparesNoiseAdapted.addNew(newDecoder(pack, true));
      }
    } catch (RuntimeException e) {
      pack.drain();
      throw e;
    }
    replenish(pack, false);
    if (noiseAcoustic != null) {
      replenish(pack, true);
    }
  }

  /**
   * The knowledge version of the model new sessions get.
   *
   * @return the version
   */
  public long version() {
    return pack().version;
  }

  /**
   * Words of the active model whose pronunciation came from letter-to-sound.
   *
   * @return the words, sorted
   */
  public List<String> guessedPronunciations() {
    return pack().guessedWords;
  }

  /**
   * The size of the active model's vocabulary.
   *
   * @return the number of words
   */
  public int vocabularySize() {
    return pack().vocabularySize;
  }

  /**
   * How many utterances each acoustic model has decoded since the recogniser was created.
   *
   * @param noiseAdapted the noise-adapted model (true) or the plain one
   * @return the number of utterances finished with that model
   */
  long utterancesDecoded(boolean noiseAdapted) {
    return noiseAdapted ? decodedNoiseAdapted.get() : decodedPlain.get();
  }

  /** Spare decoders of the active version, plain and noise-adapted, for the pool tests. */
  int[] spareDecoders() {
    LanguagePack p = pack();
    return new int[] {p.spares.size(), p.sparesNoiseAdapted.size()};
  }

  private LanguagePack pack() {
    return Objects.requireNonNull(current.get(), "no language pack");
  }

  @Override
  public Mono<RecognitionSession> open() {
    return Mono.<RecognitionSession>fromCallable(
            () -> {
              if (closed.get()) {
                throw new IllegalStateException("recogniser is closed");
              }
              if (sessions.incrementAndGet() > settings.maxSessions()) {
                sessions.decrementAndGet();
                throw new RecognitionException(
                    RecognitionException.Reason.BUSY,
                    "recogniser at capacity: " + settings.maxSessions() + " sessions open",
                    null);
              }
              try {
                LanguagePack pack = pack();
                return new Session(pack, take(pack, false), threads.lane());
              } catch (RuntimeException e) {
                sessions.decrementAndGet();
                throw e;
              }
            })
        .subscribeOn(scheduler);
  }

  /**
   * A spare decoder of the model, or a new one when none is ready. It may build a decoder, so it
   * runs on the one-off scheduler, never on a session's lane.
   */
  private SphinxDecoder take(LanguagePack pack, boolean noiseAdapted) {
    SphinxDecoder decoder = takeSpare(pack, noiseAdapted);
    return decoder != null ? decoder : newDecoder(pack, noiseAdapted);
  }

  /**
   * A spare decoder of the model, or null; the pool is refilled in the background ({@link
   * #replenish}).
   */
  private @Nullable SphinxDecoder takeSpare(LanguagePack pack, boolean noiseAdapted) {
    SphinxDecoder decoder = pack.spares(noiseAdapted).take();
    replenish(pack, noiseAdapted);
    return decoder;
  }

  /**
   * Builds spare decoders of the model on the one-off scheduler, one at a time, until its pool
   * holds {@link LanguagePack#SPARES_PER_MODEL}, so that the next sessions take one at once. A
   * spare finished for a version that was replaced, or after {@link #close()}, is freed. A build
   * that fails stops the refill until the next decoder is taken.
   */
  private void replenish(LanguagePack pack, boolean noiseAdapted) {
    DecoderPool pool = pack.spares(noiseAdapted);
    if (closed.get() || !pool.startSpare()) {
      return;
    }
    Mono.fromCallable(() -> newDecoder(pack, noiseAdapted))
        .subscribeOn(scheduler)
        .subscribe(
            decoder -> {
              if (pool.spareBuilt(decoder)) {
                replenish(pack, noiseAdapted);
              }
            },
            e -> pool.spareFailed());
  }

  /**
   * Runs {@code hook} with the model (true: noise-adapted) on the building thread before every
   * decoder this recogniser builds from now on; tests count and hold back builds with it.
   */
  void beforeEachBuild(Consumer<Boolean> hook) {
    beforeBuild = hook;
  }

  /**
   * Native decoders this recogniser has built and not yet freed: one per session in progress (two
   * for a moment while it changes model) and the spares ({@link LanguagePack#SPARES_PER_MODEL} per
   * model once refilled). Each holds about 11 MB of native memory, outside the Java heap.
   *
   * @return the count
   */
  public int liveDecoders() {
    return liveDecoders.get();
  }

  private SphinxDecoder newDecoder(LanguagePack pack, boolean noiseAdapted) {
    beforeBuild.accept(noiseAdapted);
    return SphinxDecoder.create(
            noiseAdapted
                ? Objects.requireNonNull(noiseAcoustic, "no noise-adapted model")
                : acousticModel,
            pack.languageModel,
            pack.dictionary,
            settings.nBest(),
            noiseAdapted ? noiseArguments : settings.decoderArguments())
        .countIn(liveDecoders);
  }

  /** The noise-adapted decoders' arguments, with {@code -mllr} when the model is a transform. */
  private static List<String> noiseArguments(Settings settings, @Nullable Path transform) {
    if (transform == null) {
      return settings.noiseDecoderArguments();
    }
    List<String> arguments = new ArrayList<>(settings.noiseDecoderArguments());
    arguments.add("-mllr");
    arguments.add(transform.toString());
    return arguments;
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      pack().drain();
      // Queued and running decodes finish; sessions closed later leave their decoder to the process
      // exit (see Session.close).
      threads.shutdown();
    }
  }

  private final class Session implements RecognitionSession {
    private final LanguagePack pack;
    private final DecodingThreads.Lane lane;
    // Confined to the lane (changed only between utterances, by the lane's tasks).
    private SphinxDecoder decoder;
    private boolean noiseAdapted;
    private final Scheduler confined;
    private final NoiseSuppressor suppressor = new NoiseSuppressor();
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicBoolean done = new AtomicBoolean();
    private volatile boolean broken;

    Session(LanguagePack pack, SphinxDecoder decoder, DecodingThreads.Lane lane) {
      this.pack = pack;
      this.decoder = decoder;
      this.lane = lane;
      this.confined = Schedulers.fromExecutor(lane);
    }

    @Override
    public Mono<Transcript> recognize(Flux<PcmAudio> utterance) {
      return Mono.defer(
          () -> {
            if (done.get() || broken) {
              return Mono.error(new IllegalStateException("recognition session is closed"));
            }
            if (!busy.compareAndSet(false, true)) {
              return Mono.error(
                  new IllegalStateException("an utterance of this call is still being recognised"));
            }
            Input input = new Input(suppressor);
            Utterance u = new Utterance();
            return Mono.fromRunnable(suppressor::reset)
                .subscribeOn(confined)
                .thenMany(
                    utterance
                        // on the caller's thread, as the utterance ends: from now on the caller
                        // waits for this session, so its lane goes ahead of frame decoding
                        .doOnComplete(lane::hurry)
                        .buffer(FRAMES_PER_TASK)
                        .publishOn(confined, 16)
                        .doOnNext(
                            frames -> {
                              for (PcmAudio f : frames) {
                                u.feed(input.to16k(f), f.duration());
                              }
                            }))
                .then(
                    // the rest of the audio, then (if the chosen model's decoder is still being
                    // built) the wait for it, off the lane, then the end of the utterance
                    Mono.fromCallable(
                            () -> {
                              u.feed(input.flush(), Duration.ZERO);
                              u.choose();
                              return u.ready();
                            })
                        .subscribeOn(confined)
                        .flatMap(ready -> ready)
                        .then(
                            Mono.fromCallable(
                                    () -> {
                                      lane.relax();
                                      Transcript t = decoder.finish();
                                      (noiseAdapted ? decodedNoiseAdapted : decodedPlain)
                                          .incrementAndGet();
                                      busy.set(false); // before the transcript is emitted
                                      return noiseAdapted ? t.onNoisyLine() : t;
                                    })
                                .subscribeOn(confined))
                        .timeout(settings.finalisationTimeout()))
                .doOnError(
                    e -> {
                      broken = true;
                      busy.set(false);
                      lane.relax();
                    })
                .doOnCancel(
                    () -> {
                      u.cancel();
                      busy.set(false);
                      lane.relax();
                    });
          });
    }

    /**
     * One utterance's decoding: its first {@link #NOISE_DECISION_AFTER} of audio is held back until
     * the noise level picks the model, then everything goes to that model's decoder as it comes.
     * When no decoder of the chosen model is ready, one is built on the one-off scheduler while the
     * audio keeps being held back; it arrives as a task of the lane. Used on the session's lane
     * only, except {@link #cancel()}.
     */
    private final class Utterance {
      private @Nullable List<short[]> held = new ArrayList<>();
      private Duration heard = Duration.ZERO;
      private volatile boolean cancelled;
      // Set while (and after) the chosen model's decoder is built for this utterance.
      private Sinks.@Nullable Empty<Void> arrival;

      /** A frame of a cancelled utterance still queued on the lane must not touch the decoder. */
      void cancel() {
        cancelled = true;
      }

      void feed(short[] pcm, Duration length) {
        if (cancelled) {
          return;
        }
        List<short[]> h = held;
        if (h == null) {
          decoder.process(pcm);
          return;
        }
        h.add(pcm);
        heard = heard.plus(length);
        if (heard.compareTo(NOISE_DECISION_AFTER) >= 0) {
          choose();
        }
      }

      /**
       * Picks the model by the line's noise level and decodes what was held back, or, when the
       * other model has no spare decoder, asks for one to be built off the lane ({@link #ready()}).
       */
      void choose() {
        List<short[]> h = held;
        if (h == null || arrival != null) {
          return;
        }
        boolean noisy =
            noiseAcoustic != null && suppressor.noiseLevelDb() >= settings.noisyLineDbfs();
        if (noisy != noiseAdapted) {
          SphinxDecoder next = takeSpare(pack, noisy);
          if (next == null) {
            Sinks.Empty<Void> a = Sinks.empty();
            arrival = a;
            Mono.fromCallable(() -> take(pack, noisy))
                .subscribeOn(scheduler)
                .subscribe(
                    built -> onLane(() -> arrived(built, noisy, a), built),
                    e -> onLane(() -> a.tryEmitError(e), null));
            return;
          }
          change(next, noisy);
        }
        decodeHeld(h);
      }

      /** What the end of the utterance waits for: nothing, or the decoder being built for it. */
      Mono<Void> ready() {
        Sinks.Empty<Void> a = arrival;
        return a == null ? Mono.empty() : a.asMono();
      }

      private void arrived(SphinxDecoder built, boolean noisy, Sinks.Empty<Void> a) {
        List<short[]> h = held;
        if (cancelled || done.get() || broken || h == null) {
          // nobody waits for it any more (a later utterance may use the decoder the session holds);
          // it has decoded nothing, so it may serve another call
          pack.spares(noisy).addNew(built);
          a.tryEmitError(new IllegalStateException("the utterance ended before its decoder came"));
          return;
        }
        change(built, noisy);
        try {
          decodeHeld(h);
        } catch (RuntimeException e) {
          a.tryEmitError(e); // fails this utterance and so the session, like a failing frame
          return;
        }
        a.tryEmitEmpty();
      }

      private void change(SphinxDecoder next, boolean noisy) {
        decoder.free(); // it has heard this call: no other call gets it
        decoder = next;
        noiseAdapted = noisy;
      }

      private void decodeHeld(List<short[]> h) {
        held = null;
        decoder.start();
        for (short[] pcm : h) {
          decoder.process(pcm);
        }
      }
    }

    /**
     * Runs a task on this session's lane; when the threads have stopped, frees the decoder that
     * came with it, which nothing else uses yet.
     */
    private void onLane(Runnable task, @Nullable SphinxDecoder carried) {
      try {
        lane.execute(task);
      } catch (RuntimeException e) {
        if (carried != null) {
          carried.free();
        }
      }
    }

    @Override
    public void close() {
      if (done.compareAndSet(false, true)) {
        sessions.decrementAndGet();
        try {
          lane.execute(() -> decoder.free()); // after the lane's last task that uses it
        } catch (RuntimeException e) {
          // The threads have stopped (the recogniser is closed at shutdown). A native call of
          // this decoder may still be running on its thread, so freeing it here could crash the
          // process: the decoder is left to the process exit instead.
        }
      }
    }
  }

  /**
   * Brings one utterance's frames to 16 kHz telephone-band audio; every frame must have the first
   * frame's rate. The decoder is tuned for phone lines, which carry nothing above 4 kHz: 16 kHz
   * input with energy up to 8 kHz (a wideband recording) is decoded badly ("how do I pay my bill"
   * came out as "what"), so it goes down to 8 kHz and back up, like 8 kHz input does. At 8 kHz the
   * call's {@link NoiseSuppressor} takes out steady line noise (16 ms of latency).
   */
  static final class Input {
    private static final int PHONE_RATE = 8000;

    private final NoiseSuppressor suppressor;
    private int rate;
    private @Nullable ResamplingStream down;
    private @Nullable ResamplingStream up;

    Input(NoiseSuppressor suppressor) {
      this.suppressor = suppressor;
    }

    short[] to16k(PcmAudio frame) {
      if (rate == 0) {
        rate = frame.sampleRate();
        if (rate != PHONE_RATE && rate != RATE) {
          throw new IllegalArgumentException(
              "recognition needs 8000 or 16000 Hz audio, got " + rate + " Hz");
        }
        if (rate == RATE) {
          down = Resampler.of(RATE, PHONE_RATE).stream();
        }
        up = Resampler.of(PHONE_RATE, RATE).stream();
      } else if (frame.sampleRate() != rate) {
        throw new IllegalArgumentException(
            "frame at " + frame.sampleRate() + " Hz in an utterance at " + rate + " Hz");
      }
      return Objects.requireNonNull(up).push(suppressor.push(toPhoneRate(frame.samples())));
    }

    short[] flush() {
      ResamplingStream u = up;
      if (u == null) {
        return new short[0];
      }
      ResamplingStream d = down;
      short[] rest = u.push(suppressor.push(d == null ? new short[0] : d.flush()));
      return concat(concat(rest, u.push(suppressor.flush())), u.flush());
    }

    private static short[] concat(short[] a, short[] b) {
      short[] all = Arrays.copyOf(a, a.length + b.length);
      System.arraycopy(b, 0, all, a.length, b.length);
      return all;
    }

    private short[] toPhoneRate(short[] samples) {
      ResamplingStream d = down;
      return d == null ? samples : d.push(samples);
    }
  }

  /** The acoustic model with the feature parameters telephone audio needs. */
  static final class AcousticModel {
    private AcousticModel() {}

    /**
     * Links every model file into {@code work/acoustic} except {@code feat.params}, which is
     * rewritten: PocketSphinx reads it after the command line, so settings must be changed there.
     */
    static Path prepare(Path source, Path work) throws IOException {
      return prepare(source, work, null);
    }

    /**
     * Like {@link #prepare(Path, Path)}, with the files of {@code replacements} (e.g. adapted
     * {@code means} and {@code variances}) linked instead of the model's own.
     */
    static Path prepare(Path source, Path work, @Nullable Path replacements) throws IOException {
      Path target = work.resolve("acoustic");
      Files.createDirectories(target);
      try (Stream<Path> files = Files.list(source)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          String name = f.getFileName().toString();
          Path link = target.resolve(name);
          if (name.equals("feat.params") || Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
            continue;
          }
          Path from =
              replacements != null && Files.exists(replacements.resolve(name))
                  ? replacements.resolve(name)
                  : f;
          Files.createSymbolicLink(link, from.toAbsolutePath());
        }
      }
      StringBuilder params = new StringBuilder();
      for (String line :
          Files.readAllLines(source.resolve("feat.params"), StandardCharsets.UTF_8)) {
        params.append(adjust(line)).append('\n');
      }
      Files.writeString(target.resolve("feat.params"), params, StandardCharsets.UTF_8);
      return target;
    }

    /**
     * Copies the shipped noise-adapted model files into a new directory under {@code work}, where
     * the decoder can read them as files.
     */
    static Path noiseModel(Path work) throws IOException {
      Files.createDirectories(work);
      Path target = Files.createTempDirectory(work, "noise-adapted-");
      for (String name : NOISE_MODEL_FILES) {
        try (var in = PocketSphinxRecognizer.class.getResourceAsStream("noise-adapted/" + name)) {
          if (in == null) {
            throw new IllegalStateException("missing resource noise-adapted/" + name);
          }
          Files.write(target.resolve(name), in.readAllBytes());
        }
      }
      return target;
    }

    /**
     * The cepstral mean of telephone-band speech (8 kHz µ-law resampled to 16 kHz): what live CMN
     * converged to after 25 flite utterances of four voices (PocketSphinx's log, {@code cmn_live.c
     * Update to}). The model's own value (41.00, -5.29, ...) is that of wideband speech; starting
     * from it, a new decoder's first utterance decodes badly.
     */
    static final String TELEPHONE_CMN_INIT =
        "46.5,36.0,-30.5,48.5,-14.0,-5.5,23.0,-32.0,9.5,-3.0,-3.0,17.5,-11.5";

    /**
     * Live cepstral mean normalisation, so frames are scored while the caller speaks, starting from
     * the telephone-band mean.
     */
    static String adjust(String line) {
      if (line.startsWith("-cmn ")) {
        return "-cmn live";
      }
      if (line.startsWith("-cmninit ")) {
        return "-cmninit " + TELEPHONE_CMN_INIT;
      }
      return line;
    }
  }
}
