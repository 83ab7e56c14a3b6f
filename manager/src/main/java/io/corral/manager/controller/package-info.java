/**
 * The controller framework: a loop driven by store watches, a pure planner deciding from a
 * snapshot, and one change writer that commits changes to objects of every kind against the
 * versions the decision read.
 */
package io.corral.manager.controller;
