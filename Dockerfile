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
# Sign-in cookie keys are kept in the database: every instance shares them, a new container keeps everyone signed in.
ENV ASPNETCORE_URLS=http://+:8080
EXPOSE 8080
VOLUME /data
USER $APP_UID
ENTRYPOINT ["dotnet", "CommitmentTracker.Web.dll"]
