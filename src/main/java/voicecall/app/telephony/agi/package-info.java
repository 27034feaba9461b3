/**
 * The FastAGI server on Reactor Netty: reads Asterisk's {@code agi_*} header block, sends commands
 * one at a time and parses their {@code 200 result=} replies, and hands the call's media to the
 * AudioSocket server joined by a UUID.
 */
@NullMarked
package voicecall.app.telephony.agi;

import org.jspecify.annotations.NullMarked;
