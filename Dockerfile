# Build and publish the web app, then run it on the ASP.NET runtime image.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/CommitmentTracker.Domain/CommitmentTracker.Domain.csproj src/CommitmentTracker.Domain/
COPY src/CommitmentTracker.Web/CommitmentTracker.Web.csproj src/CommitmentTracker.Web/
RUN dotnet restore src/CommitmentTracker.Web/CommitmentTracker.Web.csproj
COPY src/ src/
RUN dotnet publish src/CommitmentTracker.Web/CommitmentTracker.Web.csproj -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
ENV ASPNETCORE_URLS=http://+:8080 \
    DataProtection__KeysDirectory=/data/keys
EXPOSE 8080
VOLUME /data
USER $APP_UID
ENTRYPOINT ["dotnet", "CommitmentTracker.Web.dll"]
