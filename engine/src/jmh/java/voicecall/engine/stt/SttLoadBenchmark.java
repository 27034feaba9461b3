package voicecall.engine.stt;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import voicecall.engine.vad.SegmenterConfig;
import voicecall.engine.vad.SileroVad;
import voicecall.engine.vad.SpeechEvent;
import voicecall.engine.vad.SpeechSegmenter;
import voicecall.engine.vad.VoiceActivity;
import voicecall.engine.vad.VoiceActivityDetector;
import voicecall.rag.KnowledgeBase;
import voicecall.tts.audio.PcmAudio;

/**
 * Speech-in under load: N phone calls at once, each with its own {@link PocketSphinxRecognizer}
 * session (one shared recogniser with the evaluation FAQ's domain model) and its own Silero VAD
 * stream through the {@link SpeechSegmenter}. Not a test: a {@code main} run by hand, see
 * engine/STT-README.md ("Under load: 30 calls").
 *
 * <p>Every call is a phone line driven by one shared 20 ms clock: each tick hands every call its
 * next 20 ms frame, 8 kHz µ-law flite speech of the evaluation questions (clean or with white noise
 * at a given SNR). The whole line (speech and the silence between questions) goes to the VAD; the
 * frames of a question (with its 250 ms of silence each side) go to the call's recognition session
 * while they are spoken, and the utterance is completed on the tick of its last frame. Then the
 * line carries a random stretch of silence and the next question. Calls start at random offsets.
 *
 * <p>Per utterance it records the finalisation the caller gets (from completing the utterance,
 * right after its last frame, to the transcript being emitted, so queueing behind other calls on
 * the decoding threads is included) and the decoder's own {@link Transcript#finalisation()}. It
 * reports CPU per second of audio (the whole process, and the {@code stt-*} and {@code vad-*}
 * threads on their own), the VAD's time per 32 ms window, and memory per call.
 *
 * <p>Options: {@code --calls 30 --seconds 60 --warmup 15 --snr inf|15 --threads <cores> --vad
 * on|off --gap 400-1000 --seed 1 --utterances 40 --noise-adapted on|off --decoder-args "-beam
 * 1e-38 ..." --noise-decoder-args "-beam 1e-36 ..." --questions-per-call 0}. Without them each pool
 * has the recogniser's defaults; {@code --decoder-args} sets both pools' search arguments, {@code
 * --noise-decoder-args} then the noise-adapted pool's alone. With {@code --questions-per-call N}
 * above 0, a caller hangs up after N questions (once the last is recognised) and a new call opens
 * on the same line, with a new session and so a new decoder; the line is silent until it is open.
 * The time {@code open()} takes is reported. With 0, each line is one call for the whole run.
 */
public final class SttLoadBenchmark {

  private static final int FRAME_MILLIS = 20;
  private static final long MAX_MICROS = TimeUnit.SECONDS.toMicros(60);

  private final Options options;
  private final ConcurrentHistogram heard = new ConcurrentHistogram(MAX_MICROS, 3);
  private final ConcurrentHistogram decoder = new ConcurrentHistogram(MAX_MICROS, 3);
  private final ConcurrentHistogram waiting = new ConcurrentHistogram(MAX_MICROS, 3);
  private final ConcurrentHistogram vadWindow = new ConcurrentHistogram(MAX_MICROS, 3);
  private final ConcurrentHistogram tickLateness = new ConcurrentHistogram(MAX_MICROS, 3);
  private final ConcurrentHistogram opening = new ConcurrentHistogram(MAX_MICROS, 3);
  private final AtomicLong callsOpened = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final AtomicLong overlaps = new AtomicLong();
  private final AtomicLong speechFrames = new AtomicLong();
  private final AtomicLong lineFrames = new AtomicLong();
  private final AtomicLong vadEnded = new AtomicLong();
  private final AtomicLong wordErrors = new AtomicLong();
  private final AtomicLong referenceWords = new AtomicLong();
  private final AtomicLong emptyTranscripts = new AtomicLong();
  private volatile boolean measuring;
  private volatile long windowStart;
  private volatile long windowEnd = Long.MAX_VALUE;

  private SttLoadBenchmark(Options options) {
    this.options = options;
  }

  /**
   * Runs the scenario and prints the results.
   *
   * @param args options, see the class comment
   * @throws Exception when setting up fails
   */
  public static void main(String[] args) throws Exception {
    new SttLoadBenchmark(Options.parse(args)).run();
  }

  /** Command-line options. */
  record Options(
      int calls,
      int seconds,
      int warmup,
      double snrDb,
      int threads,
      boolean vad,
      int gapMinMillis,
      int gapMaxMillis,
      long seed,
      int utterances,
      boolean noiseAdapted,
      List<String> decoderArguments,
      List<String> noiseDecoderArguments,
      int questionsPerCall) {

    static Options parse(String[] args) {
      int calls = 30;
      int seconds = 60;
      int warmup = 15;
      double snr = Double.POSITIVE_INFINITY;
      int threads = Runtime.getRuntime().availableProcessors();
      boolean vad = true;
      int gapMin = 400;
      int gapMax = 1000;
      long seed = 1;
      int utterances = 40;
      boolean noiseAdapted = true;
      List<String> decoderArguments = PocketSphinxRecognizer.Settings.DECODER_ARGUMENTS;
      List<String> noiseDecoderArguments = PocketSphinxRecognizer.Settings.NOISE_DECODER_ARGUMENTS;
      int questionsPerCall = 0;
      for (int i = 0; i + 1 < args.length; i += 2) {
        String value = args[i + 1];
        switch (args[i]) {
          case "--calls" -> calls = Integer.parseInt(value);
          case "--seconds" -> seconds = Integer.parseInt(value);
          case "--warmup" -> warmup = Integer.parseInt(value);
          case "--snr" ->
              snr = "inf".equals(value) ? Double.POSITIVE_INFINITY : Double.parseDouble(value);
          case "--threads" -> threads = Integer.parseInt(value);
          case "--vad" -> vad = "on".equals(value);
          case "--gap" -> {
            String[] range = value.split("-", 2);
            gapMin = Integer.parseInt(range[0]);
            gapMax = Integer.parseInt(range[range.length - 1]);
          }
          case "--seed" -> seed = Long.parseLong(value);
          case "--utterances" -> utterances = Integer.parseInt(value);
          case "--noise-adapted" -> noiseAdapted = "on".equals(value);
          case "--decoder-args" -> {
            decoderArguments = arguments(value);
            noiseDecoderArguments = decoderArguments;
          }
          case "--noise-decoder-args" -> noiseDecoderArguments = arguments(value);
          case "--questions-per-call" -> questionsPerCall = Integer.parseInt(value);
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
      if (args.length % 2 != 0) {
        throw new IllegalArgumentException("options come in pairs: --name value");
      }
      if (calls < 1 || seconds < 1 || warmup < 0 || threads < 1 || utterances < 1) {
        throw new IllegalArgumentException("calls, seconds, threads, utterances must be positive");
      }
      if (questionsPerCall < 0) {
        throw new IllegalArgumentException("--questions-per-call must be 0 (never) or more");
      }
      if (gapMin < 0 || gapMax < gapMin) {
        throw new IllegalArgumentException("--gap must be min-max milliseconds, min <= max");
      }
      return new Options(
          calls,
          seconds,
          warmup,
          snr,
          threads,
          vad,
          gapMin,
          gapMax,
          seed,
          utterances,
          noiseAdapted,
          decoderArguments,
          noiseDecoderArguments,
          questionsPerCall);
    }

    private static List<String> arguments(String value) {
      return value.isBlank() || value.equals("none")
          ? List.of()
          : List.of(value.trim().split("\\s+"));
    }
  }

  /** A question and the audio a caller says it with. */
  record Utterance(String text, List<PcmAudio> frames) {}

  private void run() throws Exception {
    System.out.printf(
        Locale.ROOT,
        "[stt-load] %s, %d cores, load average %.2f%n",
        options,
        Runtime.getRuntime().availableProcessors(),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    List<Utterance> utterances = synthesise();
    PocketSphinxRecognizer recognizer =
        PocketSphinxRecognizer.create(
            KnowledgeBase.build(1, EvalSet.allEntries()),
            PocketSphinxRecognizer.SYSTEM_MODEL,
            new PocketSphinxRecognizer.Settings(
                options.calls(),
                options.threads(),
                Duration.ofSeconds(10),
                    3,
                    Path.of("target", "stt-load"))
                .withNoiseAdapted(
                    options.noiseAdapted(),
                    PocketSphinxRecognizer.Settings.DEFAULT_NOISY_LINE_DBFS)
                .withDecoderArguments(options.decoderArguments())
                .withNoiseDecoderArguments(options.noiseDecoderArguments()));
    SileroVad silero = SileroVad.create();
    SpeechSegmenter segmenter =
        SpeechSegmenter.create(new TimedDetector(silero), SegmenterConfig.defaults());

    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    System.gc();
    long heapBefore = memory.getHeapMemoryUsage().getUsed();
    long rssBefore = procStatusKb("VmRSS");
    List<Call> calls = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(options.seed());
    for (int i = 0; i < options.calls(); i++) {
      RecognitionSession session = Objects.requireNonNull(recognizer.open().block());
      calls.add(
          new Call(
              recognizer, session, utterances, random.split(), options.vad() ? segmenter : null));
    }
    System.gc();
    long heapOpen = memory.getHeapMemoryUsage().getUsed();
    long rssOpen = procStatusKb("VmRSS");
    System.out.printf(
        Locale.ROOT,
        "[stt-load] opened %d sessions: RSS %+.1f MB (%.2f MB per call), heap %+.1f MB (%.3f MB"
            + " per call)%n",
        options.calls(),
        (rssOpen - rssBefore) / 1024.0,
        (rssOpen - rssBefore) / 1024.0 / options.calls(),
        (heapOpen - heapBefore) / 1048576.0,
        (heapOpen - heapBefore) / 1048576.0 / options.calls());

    ScheduledExecutorService clock =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "line-clock");
              t.setDaemon(true);
              t.setPriority(Thread.MAX_PRIORITY);
              return t;
            });
    long start = System.nanoTime();
    long[] ticks = {0};
    clock.scheduleAtFixedRate(
        () -> {
          long now = System.nanoTime();
          long due = start + ticks[0]++ * TimeUnit.MILLISECONDS.toNanos(FRAME_MILLIS);
          if (measuring) {
            tickLateness.recordValue(Math.max(0, (now - due) / 1000));
          }
          for (Call c : calls) {
            c.tick();
          }
        },
        0,
        FRAME_MILLIS,
        TimeUnit.MILLISECONDS);

    Thread.sleep(TimeUnit.SECONDS.toMillis(options.warmup()));
    CpuSample before = CpuSample.now();
    windowStart = System.nanoTime();
    measuring = true;
    Thread.sleep(TimeUnit.SECONDS.toMillis(options.seconds()));
    measuring = false;
    windowEnd = System.nanoTime();
    CpuSample after = CpuSample.now();
    // let the utterances completed inside the window finish
    Thread.sleep(3000);
    clock.shutdownNow();
    clock.awaitTermination(5, TimeUnit.SECONDS);
    System.gc();
    long heapEnd = memory.getHeapMemoryUsage().getUsed();
    long rssEnd = procStatusKb("VmRSS");
    long rssPeak = procStatusKb("VmHWM");
    for (Call c : calls) {
      c.close();
    }
    recognizer.close();
    silero.close();
    report(before, after, heapBefore, rssBefore, heapEnd, rssEnd, rssPeak);
  }

  private List<Utterance> synthesise() {
    List<Utterance> out = new ArrayList<>();
    int i = 0;
    for (EvalSet.Query q : EvalSet.queries("en")) {
      if (q.expectedId() == null) {
        continue;
      }
      if (out.size() == options.utterances()) {
        break;
      }
      PcmAudio audio = Speech.telephone(Speech.VOICES[i % 4], q.text(), options.snrDb(), 100 + i);
      i++;
      out.add(new Utterance(q.text(), List.copyOf(audio.frames(Duration.ofMillis(FRAME_MILLIS)))));
    }
    double seconds = 0;
    for (Utterance u : out) {
      seconds += u.frames().size() * FRAME_MILLIS / 1000.0;
    }
    System.out.printf(
        Locale.ROOT,
        "[stt-load] %d utterances, mean %.2f s with 0.5 s of padding%n",
        out.size(),
        seconds / out.size());
    return out;
  }

  /**
   * One phone line: questions with random silence between them, all of it through the VAD, the
   * questions also through the call's recognition session. Ticked by the clock thread only.
   */
  private final class Call {
    private final PocketSphinxRecognizer recognizer;
    // null while a new call on this line is being opened
    private volatile @Nullable RecognitionSession session;
    private int questionsInCall;
    private volatile boolean recognising;
    private final List<Utterance> utterances;
    private final SplittableRandom random;
    private final Sinks.Many<PcmAudio> line = Sinks.many().unicast().onBackpressureBuffer();
    private final @Nullable Disposable vad;
    private final PcmAudio silence = PcmAudio.silence(Duration.ofMillis(FRAME_MILLIS), 8000);
    private int silentTicks;
    private @Nullable Utterance current;
    private int position;
    private Sinks.@Nullable Many<PcmAudio> utterance;
    private AtomicLong completedAt = new AtomicLong();
    private @Nullable Disposable recognition;

    Call(
        PocketSphinxRecognizer recognizer,
        RecognitionSession session,
        List<Utterance> utterances,
        SplittableRandom random,
        @Nullable SpeechSegmenter segmenter) {
      this.recognizer = recognizer;
      this.session = session;
      this.utterances = utterances;
      this.random = random;
      this.silentTicks = random.nextInt(2000 / FRAME_MILLIS);
      this.vad =
          segmenter == null
              ? null
              : segmenter
                  .segment(line.asFlux())
                  .subscribe(
                      e -> {
                        if (measuring && e instanceof SpeechEvent.Ended) {
                          vadEnded.incrementAndGet();
                        }
                      },
                      e -> errors.incrementAndGet());
    }

    void tick() {
      if (silentTicks > 0) {
        silentTicks--;
        send(silence);
        return;
      }
      Utterance u = current;
      Sinks.Many<PcmAudio> sink = utterance;
      if (u == null || sink == null) {
        RecognitionSession s = session;
        if (s == null) {
          send(silence); // the next call on this line is opening
          return;
        }
        if (options.questionsPerCall() > 0 && questionsInCall >= options.questionsPerCall()) {
          if (!recognising) { // the caller hangs up once the last question is recognised
            hangUpAndCallAgain(s);
          }
          send(silence);
          return;
        }
        questionsInCall++;
        recognising = true;
        u = utterances.get(random.nextInt(utterances.size()));
        sink = Sinks.many().unicast().onBackpressureBuffer();
        current = u;
        utterance = sink;
        position = 0;
        String text = u.text();
        AtomicLong completed = new AtomicLong();
        completedAt = completed;
        recognition =
            s.recognize(sink.asFlux())
                .doFinally(signal -> recognising = false)
                .subscribe(
                    t -> heard(t, text, completed.get()),
                    e -> {
                      if (e.getMessage() != null && e.getMessage().contains("still being")) {
                        overlaps.incrementAndGet();
                      }
                      errors.incrementAndGet();
                      System.err.println("[stt-load] recognition failed: " + e);
                    });
      }
      PcmAudio frame = u.frames().get(position++);
      send(frame);
      sink.tryEmitNext(frame);
      if (measuring) {
        speechFrames.incrementAndGet();
      }
      if (position == u.frames().size()) {
        completedAt.set(System.nanoTime());
        sink.tryEmitComplete();
        current = null;
        utterance = null;
        int gap =
            options.gapMinMillis()
                + random.nextInt(options.gapMaxMillis() - options.gapMinMillis() + 1);
        silentTicks = gap / FRAME_MILLIS;
      }
    }

    /** Ends this line's call and opens the next one; the line stays silent until it is open. */
    private void hangUpAndCallAgain(RecognitionSession s) {
      session = null;
      s.close();
      questionsInCall = 0;
      long asked = System.nanoTime();
      recognizer
          .open()
          .subscribe(
              next -> {
                if (measuring) {
                  opening.recordValue((System.nanoTime() - asked) / 1000);
                  callsOpened.incrementAndGet();
                }
                session = next;
              },
              e -> {
                errors.incrementAndGet();
                System.err.println("[stt-load] a new call could not open: " + e);
              });
    }

    private void heard(Transcript t, String text, long completed) {
      long done = System.nanoTime();
      if (completed == 0 || completed < windowStart || completed > windowEnd) {
        return;
      }
      heard.recordValue(Math.max(0, (done - completed) / 1000));
      long heardMicros = (done - completed) / 1000;
      long decoderMicros = t.finalisation().toNanos() / 1000;
      decoder.recordValue(decoderMicros);
      waiting.recordValue(Math.max(0, heardMicros - decoderMicros));
      List<String> reference = Words.of(text);
      List<String> hypothesis = Words.of(t.text());
      if (hypothesis.isEmpty()) {
        emptyTranscripts.incrementAndGet();
      }
      wordErrors.addAndGet(RecognitionAccuracyIT.editDistance(reference, hypothesis));
      referenceWords.addAndGet(reference.size());
    }

    private void send(PcmAudio frame) {
      if (vad != null) {
        line.tryEmitNext(frame);
        if (measuring) {
          lineFrames.incrementAndGet();
        }
      } else if (measuring) {
        lineFrames.incrementAndGet();
      }
    }

    void close() {
      Disposable r = recognition;
      if (r != null) {
        r.dispose();
      }
      Disposable d = vad;
      if (d != null) {
        d.dispose();
      }
      RecognitionSession s = session;
      if (s != null) {
        s.close();
      }
    }
  }

  /** Silero with each window's inference timed. */
  private final class TimedDetector implements VoiceActivityDetector {
    private final VoiceActivityDetector inner;

    TimedDetector(VoiceActivityDetector inner) {
      this.inner = inner;
    }

    @Override
    public VoiceActivity open(int sampleRate) {
      VoiceActivity activity = inner.open(sampleRate);
      return new VoiceActivity() {
        @Override
        public int sampleRate() {
          return activity.sampleRate();
        }

        @Override
        public int windowSamples() {
          return activity.windowSamples();
        }

        @Override
        public float speechProbability(short[] window) {
          long t0 = System.nanoTime();
          float p = activity.speechProbability(window);
          if (measuring) {
            vadWindow.recordValue((System.nanoTime() - t0) / 1000);
          }
          return p;
        }

        @Override
        public void close() {
          activity.close();
        }
      };
    }

    @Override
    public Scheduler scheduler() {
      return inner.scheduler();
    }
  }

  /** Process CPU and the CPU of the decoding and VAD threads at one moment. */
  record CpuSample(long processNanos, long sttNanos, long vadNanos, long clockNanos) {
    static CpuSample now() {
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      long stt = 0;
      long vad = 0;
      long clock = 0;
      for (long id : threads.getAllThreadIds()) {
        ThreadInfo info = threads.getThreadInfo(id);
        long cpu = threads.getThreadCpuTime(id);
        if (info == null || cpu < 0) {
          continue;
        }
        String name = info.getThreadName();
        if (name.startsWith("stt-")) {
          stt += cpu;
        } else if (name.startsWith("vad-")) {
          vad += cpu;
        } else if (name.equals("line-clock")) {
          clock += cpu;
        }
      }
      long process =
          ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
              .getProcessCpuTime();
      return new CpuSample(process, stt, vad, clock);
    }
  }

  private static long procStatusKb(String field) {
    try {
      for (String line :
          Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }

  private void report(
      CpuSample before,
      CpuSample after,
      long heapBefore,
      long rssBefore,
      long heapEnd,
      long rssEnd,
      long rssPeak) {
    double wall = (windowEnd - windowStart) / 1e9;
    double lineSeconds = lineFrames.get() * FRAME_MILLIS / 1000.0;
    double speechSeconds = speechFrames.get() * FRAME_MILLIS / 1000.0;
    double process = (after.processNanos() - before.processNanos()) / 1e9;
    double stt = (after.sttNanos() - before.sttNanos()) / 1e9;
    double vad = (after.vadNanos() - before.vadNanos()) / 1e9;
    double clockCpu = (after.clockNanos() - before.clockNanos()) / 1e9;
    int n = options.calls();
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "%n[stt-load] calls=%d snr=%s threads=%d vad=%s window=%.1f s load-average-now=%.2f%n",
            n,
            Double.isInfinite(options.snrDb()) ? "clean" : options.snrDb() + " dB",
            options.threads(),
            options.vad() ? "on" : "off",
            wall,
            ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
    out.append(
        String.format(
            Locale.ROOT,
            "  utterances decoded %d, errors %d (overlapping utterances %d), empty transcripts %d,"
                + " WER %.1f %%%n",
            heard.getTotalCount(),
            errors.get(),
            overlaps.get(),
            emptyTranscripts.get(),
            100.0 * wordErrors.get() / Math.max(1, referenceWords.get())));
    out.append(line("finalisation as heard", heard));
    out.append(line("finalisation in decoder", decoder));
    out.append(line("heard minus decoder", waiting));
    if (options.vad()) {
      out.append(line("VAD per 32 ms window", vadWindow));
      out.append(
          String.format(
              Locale.ROOT,
              "  VAD utterances ended %d, windows %d, vad-* CPU per window %.3f ms%n",
              vadEnded.get(),
              vadWindow.getTotalCount(),
              vad * 1000 / Math.max(1, vadWindow.getTotalCount())));
    }
    out.append(line("clock tick lateness", tickLateness));
    if (options.questionsPerCall() > 0) {
      out.append(
          String.format(
              Locale.ROOT,
              "  new calls opened in the window %d (a caller hangs up after %d questions)%n",
              callsOpened.get(),
              options.questionsPerCall()));
      out.append(line("open() of a new call", opening));
    }
    out.append(
        String.format(
            Locale.ROOT,
            "  audio: line %.0f s, speech to the recogniser %.0f s (%.0f %% of the line)%n",
            lineSeconds,
            speechSeconds,
            100 * speechSeconds / Math.max(1e-9, lineSeconds)));
    out.append(
        String.format(
            Locale.ROOT,
            "  CPU: process %.1f s (%.2f cores), stt-* %.1f s, vad-* %.1f s, clock %.1f s%n",
            process,
            process / wall,
            stt,
            vad,
            clockCpu));
    out.append(
        String.format(
            Locale.ROOT,
            "  RTF: stt-* per s of speech %.4f; vad-* per s of line %.4f; process per s of line"
                + " %.4f; process per s of speech %.4f%n",
            stt / Math.max(1e-9, speechSeconds),
            vad / Math.max(1e-9, lineSeconds),
            process / Math.max(1e-9, lineSeconds),
            process / Math.max(1e-9, speechSeconds)));
    out.append(
        String.format(
            Locale.ROOT,
            "  memory after the run: RSS %+.1f MB over no sessions (%.2f MB per call), RSS %.0f MB,"
                + " peak RSS %.0f MB, heap %+.1f MB (%.3f MB per call)%n",
            (rssEnd - rssBefore) / 1024.0,
            (rssEnd - rssBefore) / 1024.0 / n,
            rssEnd / 1024.0,
            rssPeak / 1024.0,
            (heapEnd - heapBefore) / 1048576.0,
            (heapEnd - heapBefore) / 1048576.0 / n));
    System.out.print(out);
  }

  private static String line(String name, Histogram h) {
    return String.format(
        Locale.ROOT,
        "  %-24s n=%d p50 %.2f  p95 %.2f  p99 %.2f  max %.2f ms%n",
        name,
        h.getTotalCount(),
        h.getValueAtPercentile(50) / 1000.0,
        h.getValueAtPercentile(95) / 1000.0,
        h.getValueAtPercentile(99) / 1000.0,
        h.getMaxValue() / 1000.0);
  }
}
