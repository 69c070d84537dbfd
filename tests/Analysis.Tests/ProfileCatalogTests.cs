using LlmPipeline.Analysis.Profiles;
using LlmPipeline.Analysis.Segmentation;
using LlmPipeline.TestSupport;
using Xunit;

namespace LlmPipeline.Analysis.Tests;

public sealed class ProfileCatalogTests
{
    [Fact]
    public void BuiltIns_have_the_reference_shapes()
    {
        Assert.Equal(["dsv4_csa_hca", "dsv3_mla", "generic"], ProfileCatalog.BuiltIns.Select(p => p.Name));
        var v4 = ProfileCatalog.Get("dsv4_csa_hca");
        Assert.Equal(("mhc_post_tilelang", AnchorRole.Closes, 2, 43), (v4.AnchorKernel, v4.AnchorRole, v4.BlocksPerLayer, v4.DefaultNumLayers));
        Assert.Equal(["attn", "ffn"], v4.HalfLabels);
        var v3 = ProfileCatalog.Get("DSV3_MLA");
        Assert.Equal(("flash_fwd_mla_combine", AnchorRole.Opens, 1, 61), (v3.AnchorKernel, v3.AnchorRole, v3.BlocksPerLayer, v3.DefaultNumLayers));
        Assert.Null(ProfileCatalog.Get("generic").AnchorKernel);
        Assert.Equal("other", ProfileCatalog.UniversalRules[^1].Category);
    }

    [Fact]
    public void EffectiveRules_puts_profile_rules_before_universal()
    {
        var rules = ProfileCatalog.EffectiveRules(ProfileCatalog.Get("dsv3_mla"));
        Assert.Equal("mla", rules[0].Category);
        Assert.Equal("allreduce", rules[9].Category);
        Assert.Equal("other", rules[^1].Category);
    }

    [Fact]
    public void Get_unknown_name_lists_available_profiles()
    {
        var ex = Assert.Throws<UnknownProfileException>(() => ProfileCatalog.Get("nope"));
        Assert.Contains("dsv4_csa_hca, dsv3_mla, generic", ex.Message);
    }

    [Fact]
    public void ToJson_round_trips_through_a_user_file()
    {
        using var dir = new TempDir();
        var path = dir.File("mine.json");
        File.WriteAllText(path, ProfileCatalog.ToJson(ProfileCatalog.Get("dsv4_csa_hca")).Replace("\"dsv4_csa_hca\"", "\"mine\""));
        var p = ProfileCatalog.Get(path);
        Assert.Equal("mine", p.Name);
        Assert.Equal(path, p.Source);
        Assert.Equal(AnchorRole.Closes, p.AnchorRole);
        Assert.Equal(ProfileCatalog.Get("dsv4_csa_hca").CategoryRules, p.CategoryRules);
    }

    [Theory]
    [InlineData("{\"name\":\"x\",\"category_rules\":[{\"pattern\":\"a\",\"category\":\"a\",\"group\":\"g\"},{\"pattern\":\"(\",\"category\":\"b\",\"group\":\"g\"}]}", "category_rules[1].pattern", "invalid regular expression")]
    [InlineData("{\"name\":\"x\",\"anchor_role\":\"middle\"}", "anchor_role", "must be \"opens\" or \"closes\"")]
    [InlineData("{\"name\":\"x\",\"blocks_per_layer\":2,\"half_labels\":[\"a\"]}", "half_labels", "must have blocks_per_layer (2) entries")]
    [InlineData("{\"name\":\"x\",\"anchr_kernel\":\"a\"}", "anchr_kernel", "unknown field")]
    [InlineData("{\"name\":\"\"}", "name", "required")]
    [InlineData("{\"name\":\"x\",\"category_rules\":[{\"pattern\":\"a\",\"category\":\"Bad Key\",\"group\":\"g\"}]}", "category_rules[0].category", "snake_case")]
    public void Validate_names_the_file_and_the_faulty_field(string json, string field, string problem)
    {
        using var dir = new TempDir();
        var path = dir.File("my.json");
        File.WriteAllText(path, json);
        var v = ProfileCatalog.Validate(path);
        Assert.False(v.IsValid);
        Assert.Equal(field, v.Field);
        Assert.StartsWith($"{path}: {field}: ", v.Error);
        Assert.Contains(problem, v.Error);
        var ex = Assert.Throws<ProfileFormatException>(() => ProfileCatalog.Get(path));
        Assert.Equal(field, ex.Field);
    }

    [Fact]
    public void Validate_reports_invalid_json_with_the_file_name()
    {
        using var dir = new TempDir();
        var path = dir.File("broken.json");
        File.WriteAllText(path, "{\"name\": ");
        var v = ProfileCatalog.Validate(path);
        Assert.False(v.IsValid);
        Assert.StartsWith($"{path}: not valid JSON", v.Error);
    }
}
