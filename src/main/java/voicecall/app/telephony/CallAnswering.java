package voicecall.app.telephony;

import reactor.core.publisher.Mono;
import voicecall.engine.call.Call;

/**
 * What the engine does with a call once its media is connected. The {@link Switchboard} runs it
 * with the call's id in the logging context and cancels it when the call ends.
 */
@FunctionalInterface
public interface CallAnswering {

  /**
   * Serves one call.
   *
   * @param call the connected call
   * @return completes when the engine is done with the call (it may hang up first)
   */
  Mono<Void> answer(Call call);
}
