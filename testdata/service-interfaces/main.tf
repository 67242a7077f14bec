resource "aws_vpc" "main" {
  cidr_block = "10.80.0.0/16"
}

resource "aws_subnet" "private" {
  count             = 2
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index + 10)
  availability_zone = ["us-east-1a", "us-east-1b"][count.index]
}


resource "aws_security_group" "builders" {
  name   = "builders"
  vpc_id = aws_vpc.main.id
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["10.80.0.0/16"]
  }
}

resource "aws_security_group" "notebooks" {
  name   = "notebooks"
  vpc_id = aws_vpc.main.id
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["10.80.0.0/16"]
  }
}

resource "aws_security_group" "airflow" {
  name   = "airflow"
  vpc_id = aws_vpc.main.id
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["10.80.0.0/16"]
  }
}

resource "aws_security_group" "apprunner" {
  name   = "apprunner"
  vpc_id = aws_vpc.main.id
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["10.80.0.0/16"]
  }
}

# The database admits the builders (migrations), Airflow and App Runner; not the notebooks.
resource "aws_security_group" "db" {
  name   = "db"
  vpc_id = aws_vpc.main.id
  ingress {
    from_port = 5432
    to_port   = 5432
    protocol  = "tcp"
    security_groups = [
      aws_security_group.builders.id,
      aws_security_group.airflow.id,
      aws_security_group.apprunner.id,
    ]
  }
}

resource "aws_db_subnet_group" "main" {
  name       = "main"
  subnet_ids = aws_subnet.private[*].id
}

resource "aws_db_instance" "main" {
  identifier             = "main"
  engine                 = "postgres"
  instance_class         = "db.t4g.micro"
  allocated_storage      = 20
  username               = "app"
  password               = "not-a-real-password"
  db_subnet_group_name   = aws_db_subnet_group.main.name
  vpc_security_group_ids = [aws_security_group.db.id]
  skip_final_snapshot    = true
}

resource "aws_codebuild_project" "migrate" {
  name         = "migrate"
  service_role = "arn:aws:iam::123456789012:role/codebuild"
  artifacts {
    type = "NO_ARTIFACTS"
  }
  environment {
    compute_type = "BUILD_GENERAL1_SMALL"
    image        = "aws/codebuild/standard:7.0"
    type         = "LINUX_CONTAINER"
  }
  source {
    type     = "GITHUB"
    location = "https://github.com/example/app.git"
  }
  vpc_config {
    vpc_id             = aws_vpc.main.id
    subnets            = aws_subnet.private[*].id
    security_group_ids = [aws_security_group.builders.id]
  }
}

resource "aws_sagemaker_notebook_instance" "analysis" {
  name                   = "analysis"
  role_arn               = "arn:aws:iam::123456789012:role/sagemaker"
  instance_type          = "ml.t3.medium"
  subnet_id              = aws_subnet.private[0].id
  security_groups        = [aws_security_group.notebooks.id]
  direct_internet_access = "Disabled"
}

resource "aws_mwaa_environment" "pipelines" {
  name               = "pipelines"
  dag_s3_path        = "dags/"
  execution_role_arn = "arn:aws:iam::123456789012:role/mwaa"
  source_bucket_arn  = "arn:aws:s3:::example-dags"
  network_configuration {
    subnet_ids         = aws_subnet.private[*].id
    security_group_ids = [aws_security_group.airflow.id]
  }
}

resource "aws_apprunner_vpc_connector" "app" {
  vpc_connector_name = "app-connector"
  subnets            = aws_subnet.private[*].id
  security_groups    = [aws_security_group.apprunner.id]
}

# A Glue connection to the database: its network interface in one subnet, group `glue`,
# which the database's group does not admit.
resource "aws_security_group" "glue" {
  name   = "glue"
  vpc_id = aws_vpc.main.id
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["10.80.0.0/16"]
  }
}

resource "aws_glue_connection" "warehouse" {
  name = "warehouse"
  connection_properties = {
    JDBC_CONNECTION_URL = "jdbc:postgresql://main.example.internal:5432/app"
    USERNAME            = "glue"
    PASSWORD            = "not-a-real-password"
  }
  physical_connection_requirements {
    availability_zone      = aws_subnet.private[1].availability_zone
    subnet_id              = aws_subnet.private[1].id
    security_group_id_list = [aws_security_group.glue.id]
  }
}
