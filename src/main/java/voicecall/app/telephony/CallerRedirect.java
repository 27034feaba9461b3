package voicecall.app.telephony;

import reactor.core.publisher.Mono;

/**
 * Moves a caller whose call no FastAGI or ARI session controls (a plain AudioSocket call) to an
 * allowed dialplan location, setting the agent's channel variables first; for example through
 * Asterisk's manager interface. It runs while the call's AudioSocket connection is still open.
 */
@FunctionalInterface
public interface CallerRedirect {

  /**
   * Carries out one transfer.
   *
   * @param plan where to and with which variables
   * @return completes when Asterisk accepted the move; errors when it did not
   */
  Mono<Void> redirect(TransferPlan plan);
}
