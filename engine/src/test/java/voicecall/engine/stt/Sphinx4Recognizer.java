package voicecall.engine.stt;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import voicecall.tts.audio.PcmAudio;

/**
 * English recognition with Sphinx4 (pure Java) behind the same {@link Recognizer} API as {@link
 * PocketSphinxRecognizer}, with the language model and dictionary of a {@link LanguagePack}.
 *
 * <p>Each session holds one {@link Sphinx4Decoder}, used by one call at a time and returned to an
 * idle pool when the call ends (Sphinx4 has no reset, so a pooled decoder keeps the cepstral mean
 * of its last call; PocketSphinx's decoders did too until each call got a new one). Sphinx4 pulls
 * audio from an {@link InputStream}, so while a caller speaks one thread of a bounded scheduler
 * ({@code sphinx4-*}, one per session) waits for that call's frames and decodes them as they
 * arrive; the frames are handed over without blocking the thread that delivers them. At most {@code
 * maxSessions} sessions exist (about 65 MB of heap each); one more {@code open()} fails.
 */
final class Sphinx4Recognizer implements Recognizer {

  private static final int RATE = 16000;

  /** At most this much audio waits for a decoder that falls behind; more fails the utterance. */
  private static final int MAX_QUEUED_SAMPLES = 30 * RATE;

  private final LanguagePack pack;
  private final int maxSessions;
  private final int nBest;
  private final Duration finalisationTimeout;
  private final short[] primer;
  private final Scheduler scheduler;
  private final ConcurrentLinkedQueue<Sphinx4Decoder> idle = new ConcurrentLinkedQueue<>();
  private final AtomicInteger sessions = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();

  private Sphinx4Recognizer(
      LanguagePack pack,
      int maxSessions,
      int nBest,
      Duration finalisationTimeout,
      short[] primer,
      Sphinx4Decoder first) {
    this.pack = pack;
    this.maxSessions = maxSessions;
    this.nBest = nBest;
    this.finalisationTimeout = finalisationTimeout;
    this.primer = primer;
    this.scheduler = Schedulers.newBoundedElastic(maxSessions, 1000, "sphinx4", 60, true);
    idle.add(first);
  }

  /**
   * Builds one decoder for the pack's model (blocking, 1–2 s) and primes it with {@code primer}.
   *
   * @param primer speech at 8 or 16 kHz, decoded by every new decoder before its first call
   */
  static Sphinx4Recognizer create(
      LanguagePack pack,
      int maxSessions,
      int nBest,
      Duration finalisationTimeout,
      PcmAudio primer) {
    if (maxSessions < 1 || nBest < 1) {
      throw new IllegalArgumentException("maxSessions and nBest must be positive");
    }
    short[] pcm = primer.resampleTo(RATE).samples();
    Sphinx4Decoder first = Sphinx4Decoder.create(pack.languageModel, pack.dictionary, nBest, pcm);
    return new Sphinx4Recognizer(pack, maxSessions, nBest, finalisationTimeout, pcm, first);
  }

  @Override
  public Mono<RecognitionSession> open() {
    return Mono.<RecognitionSession>fromCallable(
            () -> {
              if (closed.get()) {
                throw new IllegalStateException("recogniser is closed");
              }
              if (sessions.incrementAndGet() > maxSessions) {
                sessions.decrementAndGet();
                throw new IllegalStateException(
                    "recogniser at capacity: " + maxSessions + " sessions open");
              }
              try {
                Sphinx4Decoder decoder = idle.poll();
                if (decoder == null) {
                  decoder =
                      Sphinx4Decoder.create(pack.languageModel, pack.dictionary, nBest, primer);
                }
                return new Session(decoder);
              } catch (RuntimeException e) {
                sessions.decrementAndGet();
                throw e;
              }
            })
        .subscribeOn(scheduler);
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      idle.clear();
      scheduler.dispose();
    }
  }

  private final class Session implements RecognitionSession {
    private final Sphinx4Decoder decoder;
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicBoolean done = new AtomicBoolean();
    private volatile boolean broken;

    /** The same front end PocketSphinx gets: the call's noise estimate carries over. */
    private final NoiseSuppressor suppressor = new NoiseSuppressor();

    Session(Sphinx4Decoder decoder) {
      this.decoder = decoder;
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
            Pipe pipe = new Pipe();
            CompletableFuture<Transcript> decoding =
                Mono.fromCallable(() -> decoder.decode(pipe, pipe::endedAt))
                    .subscribeOn(scheduler)
                    .toFuture();
            suppressor.reset();
            PocketSphinxRecognizer.Input input = new PocketSphinxRecognizer.Input(suppressor);
            return utterance
                .doOnNext(f -> pipe.push(input.to16k(f)))
                .then(
                    Mono.defer(
                        () -> {
                          pipe.push(input.flush());
                          pipe.end();
                          return Mono.fromFuture(decoding)
                              .timeout(finalisationTimeout)
                              .map(
                                  t ->
                                      new Transcript(
                                          t.text(),
                                          t.score(),
                                          t.confidence(),
                                          t.words(),
                                          t.alternatives(),
                                          Duration.ofMillis(pipe.samples * 1000L / RATE),
                                          t.finalisation()));
                        }))
                .doOnSuccess(t -> busy.set(false))
                .doOnError(
                    e -> {
                      pipe.fail(e);
                      broken = true;
                      busy.set(false);
                    })
                .doOnCancel(
                    () -> {
                      // The decoder is mid-stream: it cannot be given back in a known state.
                      pipe.fail(new IllegalStateException("utterance cancelled"));
                      broken = true;
                      busy.set(false);
                    });
          });
    }

    @Override
    public void close() {
      if (done.compareAndSet(false, true)) {
        sessions.decrementAndGet();
        if (!broken && !busy.get() && !closed.get()) {
          idle.offer(decoder);
        }
      }
    }
  }

  /**
   * The audio of one utterance, from the thread that delivers frames (never blocked: a full pipe
   * fails the utterance) to the decoder's thread (blocked until audio arrives or the pipe ends).
   */
  static final class Pipe extends InputStream {
    private static final short[] END = new short[0];

    private final LinkedBlockingQueue<short[]> chunks = new LinkedBlockingQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private volatile @Nullable Throwable failure;
    private volatile long endedAt;
    private short @Nullable [] current;
    private int offset;
    private boolean odd;
    private boolean ended;
    volatile long samples;

    void push(short[] pcm) {
      if (pcm.length == 0) {
        return;
      }
      if (queued.addAndGet(pcm.length) > MAX_QUEUED_SAMPLES) {
        throw new IllegalStateException("the Sphinx4 decoder fell more than 30 s behind");
      }
      samples += pcm.length;
      chunks.add(pcm);
    }

    void end() {
      chunks.add(END);
    }

    void fail(Throwable e) {
      failure = e;
      chunks.add(END);
    }

    long endedAt() {
      return endedAt;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      int n = 0;
      while (n < len) {
        short[] c = current;
        if (c == null || offset == c.length) {
          if (ended) {
            break;
          }
          c = n == 0 ? take() : chunks.poll();
          if (c == null) {
            break;
          }
          if (c == END) {
            Throwable f = failure;
            if (f != null) {
              throw new IOException("utterance failed", f);
            }
            ended = true;
            endedAt = System.nanoTime();
            break;
          }
          queued.addAndGet(-c.length);
          current = c;
          offset = 0;
        }
        short s = c[offset];
        if (!odd) {
          b[off + n++] = (byte) s;
          odd = true;
        } else {
          b[off + n++] = (byte) (s >> 8);
          odd = false;
          offset++;
        }
      }
      return n == 0 ? -1 : n;
    }

    private short[] take() throws IOException {
      try {
        short[] c = chunks.poll(60, TimeUnit.SECONDS);
        if (c == null) {
          throw new IOException("no audio for 60 s");
        }
        return c;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for audio");
      }
    }
  }
}
