package voicecall.engine.dialogue;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import voicecall.rag.Answer;

/**
 * Phrases a knowledge answer for the caller, sentence by sentence as they become available.
 *
 * <p>The conversation speaks each sentence as soon as it arrives. An error or the first-sentence
 * deadline before the first sentence makes it speak the knowledge answer instead; an error after it
 * ends the reply.
 */
@FunctionalInterface
public interface Phrasing {

  /**
   * The sentences of the reply to a question.
   *
   * @param question what the caller asked, as recognised
   * @param answer the knowledge decision (an {@code ANSWER}), with its entry and alternatives
   * @return the sentences in speaking order
   */
  Flux<String> phrase(String question, Answer answer);

  /**
   * Guards phrased sentences for speaking: the first must come within {@code deadline}; a failure
   * or the deadline before it gives {@code fallback} instead, a failure after it ends the sentences
   * there. Reports the result once per subscription.
   *
   * @param phrased the phrasing's sentences
   * @param fallback the knowledge answer, spoken when the phrasing gives nothing in time
   * @param deadline how long the first sentence may take
   * @param clock the clock of the deadline
   * @param results told how the reply turned out; must not block
   * @return sentences that never fail
   */
  static Flux<String> guarded(
      Flux<String> phrased,
      String fallback,
      Duration deadline,
      Scheduler clock,
      Consumer<Result> results) {
    return Flux.defer(
        () -> {
          AtomicBoolean started = new AtomicBoolean();
          return phrased
              .timeout(Mono.delay(deadline, clock), s -> Mono.never())
              .doOnNext(
                  s -> {
                    if (started.compareAndSet(false, true)) {
                      results.accept(Result.PHRASED);
                    }
                  })
              .onErrorResume(
                  e -> {
                    if (started.get()) {
                      LoggerFactory.getLogger(Phrasing.class)
                          .warn("phrasing failed after its first sentence; reply ends", e);
                      results.accept(Result.FAILED_MIDWAY);
                      return Flux.empty();
                    }
                    Result r =
                        e instanceof TimeoutException
                            ? Result.FALLBACK_DEADLINE
                            : e instanceof UncitedAnswerException
                                ? Result.FALLBACK_CITATION
                                : Result.FALLBACK_ERROR;
                    LoggerFactory.getLogger(Phrasing.class)
                        .info(
                            "phrasing gave nothing ({}: {}); the knowledge answer is spoken",
                            r,
                            e.toString());
                    results.accept(r);
                    return Flux.just(fallback);
                  })
              .switchIfEmpty(
                  Flux.defer(
                      () -> {
                        results.accept(Result.FALLBACK_ERROR);
                        return Flux.just(fallback);
                      }));
        });
  }

  /** How a phrased reply turned out, for metrics. */
  enum Result {
    /** The phrased sentences were spoken. */
    PHRASED,
    /** No sentence came before the deadline; the knowledge answer was spoken. */
    FALLBACK_DEADLINE,
    /** The phrasing failed before its first sentence; the knowledge answer was spoken. */
    FALLBACK_ERROR,
    /** The phrasing did not cite a given entry; the knowledge answer was spoken. */
    FALLBACK_CITATION,
    /** The phrasing failed after its first sentence; the reply ended there. */
    FAILED_MIDWAY
  }
}
