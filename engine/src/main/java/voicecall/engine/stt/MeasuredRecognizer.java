package voicecall.engine.stt;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import voicecall.tts.audio.PcmAudio;

/** Reports a {@link RecognitionRecord} for every utterance a recogniser finishes or fails. */
final class MeasuredRecognizer implements Recognizer {

  private static final Logger log = LoggerFactory.getLogger(MeasuredRecognizer.class);

  private final Recognizer delegate;
  private final String engine;
  private final Consumer<RecognitionRecord> records;

  MeasuredRecognizer(Recognizer delegate, String engine, Consumer<RecognitionRecord> records) {
    this.delegate = delegate;
    this.engine = engine;
    this.records = records;
  }

  @Override
  public Mono<RecognitionSession> open() {
    return delegate.open().map(Session::new);
  }

  @Override
  public void close() {
    delegate.close();
  }

  private void report(RecognitionRecord record) {
    try {
      records.accept(record);
    } catch (RuntimeException e) {
      log.warn("recognition record of {} not taken: {}", engine, e.toString());
    }
  }

  private final class Session implements RecognitionSession {
    private final RecognitionSession session;

    Session(RecognitionSession session) {
      this.session = session;
    }

    @Override
    public Mono<Transcript> recognize(Flux<PcmAudio> utterance) {
      return Mono.defer(
          () -> {
            AtomicLong audioNanos = new AtomicLong();
            AtomicLong ended = new AtomicLong(System.nanoTime());
            Flux<PcmAudio> counted =
                utterance
                    .doOnNext(f -> audioNanos.addAndGet(f.duration().toNanos()))
                    .doOnComplete(() -> ended.set(System.nanoTime()));
            return session
                .recognize(counted)
                .doOnNext(
                    t ->
                        report(
                            new RecognitionRecord(
                                engine,
                                t.isEmpty() ? "empty" : "ok",
                                Duration.ofNanos(audioNanos.get()),
                                since(ended),
                                t.text().length(),
                                t.confidence(),
                                null,
                                t.noisyLine())))
                .doOnError(
                    e ->
                        report(
                            new RecognitionRecord(
                                engine,
                                result(e),
                                Duration.ofNanos(audioNanos.get()),
                                since(ended),
                                0,
                                0,
                                String.valueOf(e.getMessage()),
                                false)));
          });
    }

    private static Duration since(AtomicLong nanos) {
      return Duration.ofNanos(Math.max(0, System.nanoTime() - nanos.get()));
    }

    @Override
    public void close() {
      session.close();
    }
  }

  static String result(Throwable e) {
    return e instanceof RecognitionException r
        ? r.reason().name().toLowerCase(Locale.ROOT)
        : "error";
  }
}
