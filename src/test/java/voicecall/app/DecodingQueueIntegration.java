package voicecall.app;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * BlockHound allowance for handing work to the decoding threads. A call's audio and its {@code
 * open()} reach the recogniser on an event loop, and {@code DecodingThreads} puts the session's
 * turn into its thread pool's {@code PriorityBlockingQueue}, whose {@code offer} takes a short lock
 * around the heap insert (no I/O, no waiting on other work), the same kind of hand-off Reactor
 * allows for its own timer queue. When two event loops offer at the same moment, one parks for that
 * insert, which BlockHound reports. Only this queue's {@code offer} is allowed; the decoding itself
 * runs on the {@code stt-*} threads.
 */
public final class DecodingQueueIntegration implements BlockHoundIntegration {

  @Override
  public void applyTo(BlockHound.Builder builder) {
    builder.allowBlockingCallsInside("java.util.concurrent.PriorityBlockingQueue", "offer");
  }
}
