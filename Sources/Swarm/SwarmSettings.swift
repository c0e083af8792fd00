/// Piece picking, request tracking and choking: pure swarm logic, driven by the engine.
public enum SwarmSettings {}
