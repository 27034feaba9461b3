/**
 * The AudioSocket media server on Reactor Netty: the 3-byte-header framing as a Netty codec, and
 * one session per connection that turns the socket into a {@link voicecall.engine.call.Call}.
 */
@NullMarked
package voicecall.app.telephony.audiosocket;

import org.jspecify.annotations.NullMarked;
