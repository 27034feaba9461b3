package voicecall.engine.stt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
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
 * to decode ({@link DecodingThreads}). Closed sessions return their decoder to a pool of the
 * knowledge version it was built for; {@link #update} builds the next version's model to the side
 * and swaps it in, so calls in progress finish on the old model and new sessions get the new one.
 */
public final class PocketSphinxRecognizer implements Recognizer {

  /** Where {@code pocketsphinx-en-us} installs the model. */
  public static final Path SYSTEM_MODEL = Path.of("/usr/share/pocketsphinx/model/en-us");

  private static final int RATE = 16000;

  private final Settings settings;
  private final Path acousticModel;
  private final Path cmudict;
  private final DecodingThreads threads;
  private final Scheduler scheduler;
  private final AtomicReference<LanguagePack> current;
  private final AtomicInteger sessions = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * Recogniser settings.
   *
   * @param maxSessions how many calls can hold a decoder at once (one decoder each, ~11 MB native)
   * @param threads decoding threads
   * @param finalisationTimeout how long the end of an utterance may take before that call's
   *     recognition fails
   * @param nBest how many hypotheses to report (1 = best only)
   * @param workDirectory where model copies and language models are written
   * @param decoderArguments PocketSphinx search arguments as name/value pairs ({@code "-beam",
   *     "1e-38"}), passed to every decoder after the recogniser's own; {@link #DECODER_ARGUMENTS}
   *     by default. The recogniser's own ({@code -hmm -lm -dict -samprate -fwdflat -maxwpf
   *     -remove_silence}) cannot be given here
   */
  public record Settings(
      int maxSessions,
      int threads,
      Duration finalisationTimeout,
      int nBest,
      Path workDirectory,
      List<String> decoderArguments) {

    /**
     * The default search arguments: narrower beams than PocketSphinx's defaults ({@code -beam
     * -pbeam 1e-48 -lpbeam 1e-40 -lponlybeam 7e-29}) and a 3-frame phone-loop lookahead instead of
     * 5. About a fifth less CPU per second of noisy speech at the same accuracy (STT-README.md,
     * "Decoder CPU in noise").
     */
    public static final List<String> DECODER_ARGUMENTS =
        List.of(
            "-beam",
            "1e-38",
            "-pbeam",
            "1e-38",
            "-lpbeam",
            "1e-30",
            "-lponlybeam",
            "1e-20",
            "-pl_window",
            "3");

    /**
     * Rejects non-positive counts and timeouts, an n-best above 20 and decoder arguments that are
     * not distinct {@code -name value} pairs or that name one of the recogniser's own.
     */
    public Settings {
      decoderArguments = List.copyOf(decoderArguments);
      SphinxDecoder.checkSearchArguments(decoderArguments);
      if (maxSessions < 1 || threads < 1) {
        throw new IllegalArgumentException("maxSessions and threads must be positive");
      }
      if (finalisationTimeout.isNegative() || finalisationTimeout.isZero()) {
        throw new IllegalArgumentException("finalisationTimeout must be positive");
      }
      if (nBest < 1 || nBest > 20) {
        throw new IllegalArgumentException("nBest must be 1..20: " + nBest);
      }
    }

    /**
     * Settings with the default decoder arguments ({@link #DECODER_ARGUMENTS}).
     *
     * @param maxSessions how many calls can hold a decoder at once
     * @param threads decoding threads
     * @param finalisationTimeout how long the end of an utterance may take
     * @param nBest how many hypotheses to report
     * @param workDirectory where model copies and language models are written
     */
    public Settings(
        int maxSessions, int threads, Duration finalisationTimeout, int nBest, Path workDirectory) {
      this(maxSessions, threads, finalisationTimeout, nBest, workDirectory, DECODER_ARGUMENTS);
    }

    /**
     * These settings with other decoder arguments, e.g. for a pool of decoders with a noise adapted
     * model ({@code -mllr <file>}) and its own beams.
     *
     * @param arguments name/value pairs, replacing {@link #decoderArguments()} entirely
     * @return the new settings
     */
    public Settings withDecoderArguments(List<String> arguments) {
      return new Settings(
          maxSessions, threads, finalisationTimeout, nBest, workDirectory, arguments);
    }

    /**
     * 48 sessions, one thread per core, 2 s finalisation timeout, 3-best, a temporary directory.
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
      Settings settings, Path acousticModel, Path cmudict, LanguagePack pack) {
    this.settings = settings;
    this.acousticModel = acousticModel;
    this.cmudict = cmudict;
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
    PocketSphinxNative.load();
    try {
      Path acoustic = AcousticModel.prepare(model.resolve("en-us"), settings.workDirectory());
      Path cmudict = model.resolve("cmudict-en-us.dict");
      LanguagePack pack = LanguagePack.build(knowledge, cmudict, settings.workDirectory());
      SphinxDecoder.create(
              acoustic, pack.languageModel, pack.dictionary, 1, settings.decoderArguments())
          .free();
      return new PocketSphinxRecognizer(settings, acoustic, cmudict, pack);
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
              pack.idle.add(newDecoder(pack));
              LanguagePack old = current.getAndSet(pack);
              if (old != null) {
                old.drain();
              }
              return pack.version;
            })
        .subscribeOn(scheduler);
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
                throw new IllegalStateException(
                    "recogniser at capacity: " + settings.maxSessions() + " sessions open");
              }
              try {
                LanguagePack pack = pack();
                SphinxDecoder decoder = pack.idle.poll();
                if (decoder == null) {
                  decoder = newDecoder(pack);
                }
                return new Session(pack, decoder, threads.lane());
              } catch (RuntimeException e) {
                sessions.decrementAndGet();
                throw e;
              }
            })
        .subscribeOn(scheduler);
  }

  private SphinxDecoder newDecoder(LanguagePack pack) {
    return SphinxDecoder.create(
        acousticModel,
        pack.languageModel,
        pack.dictionary,
        settings.nBest(),
        settings.decoderArguments());
  }

  private void release(LanguagePack pack, SphinxDecoder decoder, boolean broken) {
    if (broken || closed.get() || pack != pack()) {
      decoder.free();
      return;
    }
    pack.idle.offer(decoder);
    if (closed.get() || pack != pack()) {
      pack.drain();
    }
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
    private final SphinxDecoder decoder;
    private final DecodingThreads.Lane lane;
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
            return Mono.fromRunnable(
                    () -> {
                      suppressor.reset();
                      decoder.start();
                    })
                .subscribeOn(confined)
                .thenMany(
                    utterance
                        // on the caller's thread, as the utterance ends: from now on the caller
                        // waits for this session, so its lane goes ahead of frame decoding
                        .doOnComplete(lane::hurry)
                        .publishOn(confined, 16)
                        .doOnNext(f -> decoder.process(input.to16k(f))))
                .then(
                    Mono.fromCallable(
                            () -> {
                              lane.relax();
                              decoder.process(input.flush());
                              Transcript t = decoder.finish();
                              busy.set(false); // before the transcript is emitted
                              return t;
                            })
                        .subscribeOn(confined)
                        .timeout(settings.finalisationTimeout()))
                .doOnError(
                    e -> {
                      broken = true;
                      busy.set(false);
                      lane.relax();
                    })
                .doOnCancel(
                    () -> {
                      busy.set(false);
                      lane.relax();
                    });
          });
    }

    @Override
    public void close() {
      if (done.compareAndSet(false, true)) {
        sessions.decrementAndGet();
        try {
          lane.execute(() -> release(pack, decoder, broken));
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
      Path target = work.resolve("acoustic");
      Files.createDirectories(target);
      try (Stream<Path> files = Files.list(source)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          Path link = target.resolve(f.getFileName().toString());
          if (f.getFileName().toString().equals("feat.params") || Files.exists(link)) {
            continue;
          }
          Files.createSymbolicLink(link, f.toAbsolutePath());
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
