package voicecall.engine.stt;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import voicecall.tts.audio.PcmAudio;

/**
 * Turns a failed recognition into an empty transcript, so the dialogue treats the utterance as not
 * heard and asks again instead of ending the call.
 */
final class EmptyOnFailureRecognizer implements Recognizer {

  private static final Logger log = LoggerFactory.getLogger(EmptyOnFailureRecognizer.class);

  private final Recognizer delegate;

  EmptyOnFailureRecognizer(Recognizer delegate) {
    this.delegate = delegate;
  }

  @Override
  public Mono<RecognitionSession> open() {
    return delegate.open().map(Session::new);
  }

  @Override
  public void close() {
    delegate.close();
  }

  private static final class Session implements RecognitionSession {
    private final RecognitionSession session;

    Session(RecognitionSession session) {
      this.session = session;
    }

    @Override
    public Mono<Transcript> recognize(Flux<PcmAudio> utterance) {
      return Mono.defer(
          () -> {
            AtomicLong audioNanos = new AtomicLong();
            return session
                .recognize(utterance.doOnNext(f -> audioNanos.addAndGet(f.duration().toNanos())))
                .onErrorResume(
                    e -> {
                      log.warn(
                          "recognition failed, the utterance counts as not heard: {}",
                          e.toString());
                      return Mono.just(
                          new Transcript(
                              "",
                              0,
                              0,
                              List.of(),
                              List.of(),
                              Duration.ofNanos(audioNanos.get()),
                              Duration.ZERO));
                    });
          });
    }

    @Override
    public void close() {
      session.close();
    }
  }
}
