using System.Collections.Concurrent;
using System.Diagnostics;

namespace JaxSharp.Cpu;

/// <summary>
/// A thread-safe map that keeps at most <see cref="Capacity"/> entries and drops the least
/// recently used ones to make room. Each missing key's value is made once: callers that ask for
/// it while it is being made wait for that one call of the factory instead of making their own.
/// A factory that throws leaves no entry, so a later call tries again.
/// <para>
/// A lookup takes no lock: it stamps its entry with the time of use, and only adding an entry
/// (a compile, far rarer and slower than a lookup) sorts the stamps to find the oldest.
/// </para>
/// <para>
/// The entries are counted here, not by the dictionary's <c>Count</c>, which takes every lock of
/// the dictionary and, on its first use in a process, starts the concurrent collections' event
/// source (about 3 ms of a process's first <c>jit</c>).
/// </para>
/// </summary>
internal sealed class BoundedCache<TKey, TValue> where TKey : notnull where TValue : class
{
    private sealed class Entry(Lazy<TValue> value)
    {
        public Lazy<TValue> Value { get; } = value;

        /// <summary>When it was last used (<see cref="Stopwatch.GetTimestamp"/>).</summary>
        public long LastUse = Stopwatch.GetTimestamp();
    }

    private readonly ConcurrentDictionary<TKey, Entry> _entries = new();
    private readonly Lock _evictionLock = new();
    private int _capacity;
    private int _count;

    /// <summary>An empty cache of at most <paramref name="capacity"/> entries (at least 1).</summary>
    public BoundedCache(int capacity) => Capacity = capacity;

    /// <summary>The most entries kept; lowering it drops the least recently used at once.</summary>
    public int Capacity
    {
        get => Volatile.Read(ref _capacity);
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            Volatile.Write(ref _capacity, value);
            DropLeastRecent();
        }
    }

    /// <summary>The number of entries, including any whose value is still being made.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>The value of <paramref name="key"/>, made by <paramref name="create"/> if it is missing, and marked as just used.</summary>
    public TValue GetOrAdd(TKey key, Func<TKey, TValue> create)
    {
        if (_entries.TryGetValue(key, out var entry))
        {
            entry.LastUse = Stopwatch.GetTimestamp();
        }
        else
        {
            var made = new Entry(new Lazy<TValue>(() => create(key), LazyThreadSafetyMode.ExecutionAndPublication));
            entry = _entries.GetOrAdd(key, made);
            if (ReferenceEquals(entry, made))
            {
                Interlocked.Increment(ref _count);
                DropLeastRecent();
            }
        }
        try
        {
            return entry.Value.Value;
        }
        catch
        {
            TryRemove(key, entry);
            throw;
        }
    }

    /// <summary>Removes <paramref name="key"/> if its value is <paramref name="expected"/> (and not another made since).</summary>
    public void Remove(TKey key, TValue expected)
    {
        if (_entries.TryGetValue(key, out var entry) && entry.Value.IsValueCreated && ReferenceEquals(entry.Value.Value, expected))
            TryRemove(key, entry);
    }

    /// <summary>The values made so far (a snapshot, in no particular order).</summary>
    public List<TValue> Values() => _entries.Values.Where(e => e.Value.IsValueCreated).Select(e => e.Value.Value).ToList();

    /// <summary>Drops every entry. Callers already waiting for a value still receive it.</summary>
    public void Clear()
    {
        foreach (var (key, entry) in _entries) TryRemove(key, entry);
    }

    private void TryRemove(TKey key, Entry entry)
    {
        if (_entries.TryRemove(KeyValuePair.Create(key, entry))) Interlocked.Decrement(ref _count);
    }

    private void DropLeastRecent()
    {
        if (Count <= Capacity) return;
        lock (_evictionLock)
        {
            var excess = Count - Capacity;
            if (excess <= 0) return;
            foreach (var (key, entry) in _entries.ToArray().OrderBy(e => e.Value.LastUse).Take(excess))
                TryRemove(key, entry);
        }
    }
}
