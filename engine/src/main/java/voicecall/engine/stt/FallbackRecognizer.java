package voicecall.engine.stt;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Signal;
import voicecall.tts.audio.PcmAudio;

/**
 * Recognises each utterance with two recognisers at once and prefers the first one's transcript;
 * the second one's is used when the first fails or times out. Both are fed while the caller speaks,
 * so a fallback costs no extra wait: a local decoder has finished long before a remote request
 * times out.
 */
final class FallbackRecognizer implements Recognizer {

  private static final Logger log = LoggerFactory.getLogger(FallbackRecognizer.class);

  private final Recognizer primary;
  private final Recognizer fallback;

  FallbackRecognizer(Recognizer primary, Recognizer fallback) {
    this.primary = primary;
    this.fallback = fallback;
  }

  @Override
  public Mono<RecognitionSession> open() {
    return Mono.zip(optional(primary.open(), "first"), optional(fallback.open(), "fallback"))
        .flatMap(
            pair -> {
              RecognitionSession first = pair.getT1().orElse(null);
              RecognitionSession second = pair.getT2().orElse(null);
              if (first == null && second == null) {
                return Mono.error(
                    new RecognitionException(
                        RecognitionException.Reason.CLOSED,
                        "neither recogniser of the fallback chain could open a session",
                        null));
              }
              return Mono.just(new Session(first, second));
            });
  }

  private static Mono<Optional<RecognitionSession>> optional(
      Mono<RecognitionSession> open, String which) {
    return open.map(Optional::of)
        .onErrorResume(
            e -> {
              log.warn("the {} recogniser could not open a session: {}", which, e.toString());
              return Mono.just(Optional.empty());
            });
  }

  @Override
  public void close() {
    try {
      primary.close();
    } finally {
      fallback.close();
    }
  }

  private static final class Session implements RecognitionSession {
    private final @Nullable RecognitionSession first;
    private final @Nullable RecognitionSession second;

    Session(@Nullable RecognitionSession first, @Nullable RecognitionSession second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public Mono<Transcript> recognize(Flux<PcmAudio> utterance) {
      RecognitionSession a = first;
      RecognitionSession b = second;
      if (a == null || b == null) {
        return (a != null ? a : Objects.requireNonNull(b)).recognize(utterance);
      }
      return Mono.defer(
          () -> {
            // Replayed, so a recogniser that subscribes late (after a hop to its own thread)
            // still gets every frame, and one that fails early does not hold the other back.
            Flux<PcmAudio> shared = utterance.replay().autoConnect(1);
            return Mono.zip(a.recognize(shared).materialize(), b.recognize(shared).materialize())
                .map(pair -> choose(pair.getT1(), pair.getT2()));
          });
    }

    private static Transcript choose(Signal<Transcript> first, Signal<Transcript> second) {
      Transcript preferred = first.get();
      if (first.isOnNext() && preferred != null) {
        return preferred;
      }
      Throwable firstError =
          first.isOnError()
              ? Objects.requireNonNull(first.getThrowable())
              : new IllegalStateException("the first recogniser gave no transcript");
      Transcript fallback = second.get();
      if (second.isOnNext() && fallback != null) {
        log.warn("recognition fell back: {}", firstError.toString());
        return fallback;
      }
      if (second.isOnError()) {
        firstError.addSuppressed(Objects.requireNonNull(second.getThrowable()));
      }
      throw firstError instanceof RuntimeException r
          ? r
          : new IllegalStateException("recognition failed: " + firstError, firstError);
    }

    @Override
    public void close() {
      try {
        if (first != null) {
          first.close();
        }
      } finally {
        if (second != null) {
          second.close();
        }
      }
    }
  }
}
