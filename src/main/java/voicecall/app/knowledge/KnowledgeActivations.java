package voicecall.app.knowledge;

import java.time.Duration;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import voicecall.rag.KnowledgeBase;

/**
 * The knowledge versions as they become active: at start, after every change and after a rollback.
 * A new subscriber first gets the version active now (if any), then every later one, so work that
 * follows the knowledge (such as pre-rendering the answers' audio) can start after the knowledge
 * was loaded and still miss nothing.
 */
public final class KnowledgeActivations {

  /**
   * Emitters are serialised by the knowledge service; a brief spin covers a rare overlap. The
   * handler's deadline starts when it is made, so one is made per emission.
   */
  private static final Duration RETRY_BRIEFLY = Duration.ofMillis(100);

  private final Sinks.Many<KnowledgeBase> sink = Sinks.many().replay().latest();

  /** Creates the stream with no version yet. */
  public KnowledgeActivations() {}

  void activated(KnowledgeBase knowledge) {
    sink.emitNext(knowledge, Sinks.EmitFailureHandler.busyLooping(RETRY_BRIEFLY));
  }

  /**
   * The version active now (once one is loaded), then each newly activated version. Emissions
   * arrive on the thread that swapped the index (often a database or event-loop thread): do not
   * block in them.
   *
   * @return the activations; never completes while the application runs
   */
  public Flux<KnowledgeBase> versions() {
    return sink.asFlux();
  }
}
