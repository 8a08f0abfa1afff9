namespace CommitmentTracker.Web.Tests.Performance;

/// <summary>The plan walker flags what it should and nothing else, on hand-written plans in PostgreSQL's JSON format.</summary>
public sealed class QueryPlanWalkerTests
{
    [Fact]
    public void A_seq_scan_of_a_growing_table_is_flagged_even_inside_a_join()
    {
        const string plan = """
            [{"Plan": {"Node Type": "Hash Join", "Plans": [
              {"Node Type": "Seq Scan", "Parent Relationship": "Outer", "Relation Name": "commitments", "Alias": "c"},
              {"Node Type": "Hash", "Parent Relationship": "Inner", "Plans": [
                {"Node Type": "Index Scan", "Parent Relationship": "Outer", "Index Name": "pk_deals", "Relation Name": "deals", "Index Cond": "(id = $1)"}]}]}}]
            """;

        Assert.Equal([new TableScan("Seq Scan", "commitments")], QueryPlan.ScansOfGrowingTables(plan));
    }

    [Fact]
    public void An_index_scan_of_a_growing_table_is_not_flagged()
    {
        const string plan = """
            [{"Plan": {"Node Type": "Index Scan", "Index Name": "ix_commitments_deal_id", "Relation Name": "commitments", "Index Cond": "(deal_id = $1)"}}]
            """;

        Assert.Empty(QueryPlan.ScansOfGrowingTables(plan));
    }

    [Fact]
    public void A_seq_scan_of_a_small_reference_table_is_not_flagged()
    {
        const string plan = """
            [{"Plan": {"Node Type": "Seq Scan", "Relation Name": "teams", "Alias": "t"}}]
            """;

        Assert.Empty(QueryPlan.ScansOfGrowingTables(plan));
    }

    [Fact]
    public void An_index_walked_whole_is_flagged_unless_it_is_partial()
    {
        const string plan = """
            [{"Plan": {"Node Type": "Merge Join", "Plans": [
              {"Node Type": "Index Scan", "Index Name": "ix_milestones_commitment_id_position", "Relation Name": "milestones", "Filter": "(status <> 'Done')"},
              {"Node Type": "Index Only Scan", "Index Name": "ix_commitments_open", "Relation Name": "commitments"}]}}]
            """;

        Assert.Equal(
            [new TableScan("Full Index Scan", "milestones", "ix_milestones_commitment_id_position")],
            QueryPlan.ScansOfGrowingTables(plan, new HashSet<string> { "ix_commitments_open" }));
    }
}
