using LlmPipeline.Query.Tests.Support;
using LlmPipeline.TestSupport;
using Xunit;

namespace LlmPipeline.Query.Tests;

public sealed class ProfilesCommandTests
{
    [Fact]
    public void Profiles_list_names_the_built_ins()
    {
        var r = Llmpipe.Run("profiles", "list", "--format", "csv");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(["dsv4_csa_hca", "dsv3_mla", "generic"], Parse.Csv(r.Stdout).Select(x => x["name"]).ToArray());
    }

    [Fact]
    public void Profiles_show_prints_a_file_that_validates()
    {
        using var dir = new TempDir();
        var r = Llmpipe.Run("profiles", "show", "dsv4_csa_hca");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("mhc_post_tilelang", r.Stdout);
        var file = dir.File("p.json");
        File.WriteAllText(file, r.Stdout);
        var v = Llmpipe.Run("profiles", "validate", file);
        Assert.Equal(0, v.ExitCode);
        Assert.Contains("valid profile 'dsv4_csa_hca'", v.Stdout);
    }

    [Fact]
    public void Profiles_validate_names_the_faulty_field()
    {
        using var dir = new TempDir();
        var file = dir.File("bad.json");
        File.WriteAllText(file, """{"name": "mine", "blocks_per_layer": "two"}""");
        var v = Llmpipe.Run("profiles", "validate", file);
        Assert.Equal(1, v.ExitCode);
        Assert.Contains("blocks_per_layer", v.Stderr);
    }

    [Fact]
    public void Profiles_show_unknown_name_is_an_error()
    {
        var r = Llmpipe.Run("profiles", "show", "no_such_profile");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("generic", r.Stderr);
    }
}
