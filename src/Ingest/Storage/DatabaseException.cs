namespace LlmPipeline.Ingest.Storage;

/// <summary>A database problem (missing directory, permissions, not a database, newer schema) in words a user can act on.</summary>
public sealed class DatabaseException : Exception
{
    /// <summary>Creates the exception with a message naming the database file.</summary>
    public DatabaseException(string message, Exception? inner = null) : base(message, inner) { }
}
