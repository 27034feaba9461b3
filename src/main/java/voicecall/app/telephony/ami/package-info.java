/**
 * Asterisk's manager interface (AMI), used to move plain AudioSocket callers to an agent: the
 * blocking asterisk-java connection runs on its own bounded thread, never on an event loop.
 */
@NullMarked
package voicecall.app.telephony.ami;

import org.jspecify.annotations.NullMarked;
