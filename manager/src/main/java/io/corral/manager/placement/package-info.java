/**
 * Placement: docker's constraint language, and which nodes may take (or must give up) a service's
 * tasks.
 */
package io.corral.manager.placement;
