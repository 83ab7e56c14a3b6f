/**
 * The wiring of the leader's orchestrators. Each orchestrator has a subpackage: {@code replicated},
 * {@code global}, {@code job}, {@code restart} (with delayed starts), {@code reaper}, {@code
 * enforcer}, and {@code update} for the rolling-update supervisor.
 */
package io.corral.manager.orchestrator;
