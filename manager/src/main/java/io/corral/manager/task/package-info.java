/**
 * The task model shared by the controllers and the control API: slots, states, service modes,
 * restart rules and history, job iterations, and how a task is made from a service.
 */
package io.corral.manager.task;
