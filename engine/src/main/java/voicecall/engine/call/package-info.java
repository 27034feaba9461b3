/**
 * A call as Reactor streams: inbound audio and DTMF, a bounded paced outbound queue, the hang-up
 * signal, latency marks, and the shared 20 ms frame clock that sends every call's next frame.
 */
@NullMarked
package voicecall.engine.call;

import org.jspecify.annotations.NullMarked;
